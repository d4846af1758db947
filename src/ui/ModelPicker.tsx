import { isTrainingActive, useStudio } from '../store';
import { CUSTOM_MODEL, MODEL_CATALOG } from './catalog';
import { Field } from './Field';
import { formatBytes } from './format';
import { useHub } from './hooks/useHub';
import { useLocalModels } from './hooks/useLocalModels';

/** Choose a pretrained checkpoint (catalog, local server, or any hub id) and load it. */
export function ModelPicker() {
  const hub = useHub();
  const local = useLocalModels(hub);
  const { selectedId, customId, status } = useStudio((s) => s.model);
  const training = useStudio((s) => isTrainingActive(s.training.status));
  const { selectModel, setCustomModelId, loadModel } = useStudio.getState();
  const id = selectedId === CUSTOM_MODEL ? customId.trim() : selectedId;
  // A persisted local id stays selectable even before the server's list arrives.
  const known = MODEL_CATALOG.some((m) => m.id === selectedId) || local.some((m) => m.id === selectedId);
  const note = MODEL_CATALOG.find((m) => m.id === selectedId)?.note;
  return (
    <div className="stack">
      <div className="grid-2">
        <Field label="Model" help={note ?? `Downloaded from ${hub}`}>
          {({ id: fid, describedBy }) => (
            <select
              id={fid}
              aria-describedby={describedBy}
              value={selectedId}
              onChange={(e) => selectModel(e.currentTarget.value)}
            >
              <optgroup label="Google BERT and friends">
                {MODEL_CATALOG.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name} — {m.id}
                  </option>
                ))}
              </optgroup>
              {local.length > 0 && (
                <optgroup label="On this server">
                  {local.map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.id} ({formatBytes(m.sizeBytes)})
                    </option>
                  ))}
                </optgroup>
              )}
              {!known && selectedId !== CUSTOM_MODEL && <option value={selectedId}>{selectedId}</option>}
              <option value={CUSTOM_MODEL}>Custom model id…</option>
            </select>
          )}
        </Field>
        <Field label="Custom model id" help="Any BERT checkpoint on the hub, e.g. prajjwal1/bert-mini">
          {({ id: fid, describedBy }) => (
            <input
              id={fid}
              aria-describedby={describedBy}
              value={customId}
              placeholder="owner/model"
              spellCheck={false}
              onChange={(e) => {
                setCustomModelId(e.currentTarget.value);
                selectModel(CUSTOM_MODEL);
              }}
            />
          )}
        </Field>
      </div>
      <div className="actions">
        <button
          type="button"
          disabled={!id || status === 'loading' || training}
          onClick={() => loadModel({ kind: 'hub', id, hub }, id)}
        >
          Load model
        </button>
        <label className="file-button">
          Model files
          <input
            type="file"
            multiple
            accept=".json,.txt,.safetensors,.bin,.zip,.model"
            disabled={status === 'loading' || training}
            onChange={(e) => {
              const files = [...(e.currentTarget.files ?? [])];
              if (files.length > 0)
                loadModel({ kind: 'files', files }, files.length === 1 ? (files[0]?.name ?? 'files') : 'local files');
              e.currentTarget.value = '';
            }}
          />
        </label>
        <label className="file-button">
          Model folder
          <input
            type="file"
            {...{ webkitdirectory: '' }}
            disabled={status === 'loading' || training}
            onChange={(e) => {
              const files = [...(e.currentTarget.files ?? [])];
              const folder = files[0]?.webkitRelativePath.split('/')[0] ?? 'folder';
              if (files.length > 0) loadModel({ kind: 'files', files }, folder);
              e.currentTarget.value = '';
            }}
          />
        </label>
      </div>
      <p className="help">
        Files: config.json, vocab.txt and model.safetensors (or pytorch_model.bin), or a .zip of them.
      </p>
    </div>
  );
}
