import { useEffect, useRef, useState } from 'react';
import { isTrainingActive, useStudio } from '../store';
import { Field } from './Field';
import { formatBytes } from './format';
import { useObjectUrl } from './hooks/useObjectUrl';

/** Save the fine-tuned model in this browser, or download it as a zip (HF layout). */
export function ExportPanel() {
  const r = useStudio((s) => s.results);
  const training = useStudio((s) => isTrainingActive(s.training.status));
  const defaultName = useStudio(
    (s) =>
      `${s.model.info?.id.split('/').pop() ?? 'model'}-${s.dataset.summary?.fileName.replace(/\.[^.]+$/, '') ?? 'finetuned'}`,
  );
  const { saveModel, exportModel } = useStudio.getState();
  const [name, setName] = useState(defaultName);
  const url = useObjectUrl(r.exported?.zip ?? null, 'application/zip');
  const link = useRef<HTMLAnchorElement>(null);
  // The download starts by itself once the zip arrives; the link stays for a second try.
  useEffect(() => {
    if (url) link.current?.click();
  }, [url]);
  return (
    <div className="stack">
      <Field label="Model name" help="How the model is listed in this browser.">
        {({ id, describedBy }) => (
          <input id={id} aria-describedby={describedBy} value={name} onChange={(e) => setName(e.currentTarget.value)} />
        )}
      </Field>
      <div className="actions">
        <button type="button" disabled={!name.trim() || r.saving || training} onClick={() => saveModel(name.trim())}>
          Save to browser
        </button>
        <button type="button" className="secondary" disabled={r.exporting || training} onClick={exportModel}>
          Download model
        </button>
      </div>
      <div role="status" aria-label="Export status">
        {r.saving && <p className="muted">Saving…</p>}
        {!r.saving && r.lastSaved && (
          <p className="ok">
            Saved as “{r.lastSaved.name}”. Load it any time from the Model step, even after a reload.
          </p>
        )}
        {r.exporting && <p className="muted">Packing the model…</p>}
        {r.exported && url && (
          <p>
            <a ref={link} href={url} download={r.exported.fileName}>
              {r.exported.fileName}
            </a>{' '}
            <span className="muted">({formatBytes(r.exported.zip.byteLength)})</span>
          </p>
        )}
      </div>
    </div>
  );
}
