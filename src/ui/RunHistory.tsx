import { headlineEpoch, useStudio, type RunRecord } from '../store';
import { RunsOverlay } from './charts/RunsOverlay';
import { formatDuration, formatLearningRate, formatMetric } from './format';

/** Every run in this project, side by side; ticked runs are overlaid on one chart. */
export function RunHistory() {
  const runs = useStudio((s) => s.project.runs);
  const compare = useStudio((s) => s.project.compare);
  const { toggleCompare, deleteRun } = useStudio.getState();
  if (runs.length === 0) return <p className="muted">No runs yet.</p>;
  const ticked = runs.filter((r) => compare.includes(r.id) && r.steps.length > 0);
  // Test columns only once some run has a test set: most projects never make one.
  const showTest = runs.some((r) => r.test);
  return (
    <div className="stack">
      <div className="table-wrap">
        <table className="table nowrap" aria-label="Run comparison">
          <thead>
            <tr>
              <th scope="col">Compare</th>
              <th scope="col">Run</th>
              <th scope="col">Model</th>
              <th scope="col">Freeze</th>
              <th scope="col" className="num">
                LR
              </th>
              <th scope="col" className="num">
                Epochs
              </th>
              <th scope="col" className="num">
                Batch
              </th>
              <th scope="col" className="num">
                Max len
              </th>
              <th scope="col" className="num">
                Best epoch
              </th>
              <th scope="col" className="num">
                Valid loss
              </th>
              <th scope="col" className="num">
                Accuracy
              </th>
              <th scope="col" className="num">
                Macro F1
              </th>
              {showTest && (
                <>
                  <th scope="col" className="num">
                    Test accuracy
                  </th>
                  <th scope="col" className="num">
                    Test macro F1
                  </th>
                </>
              )}
              <th scope="col" className="num">
                Time
              </th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {[...runs].reverse().map((r) => (
              <RunRow
                key={r.id}
                run={r}
                on={compare.includes(r.id)}
                showTest={showTest}
                toggle={toggleCompare}
                remove={deleteRun}
              />
            ))}
          </tbody>
        </table>
      </div>
      {ticked.length > 0 && <RunsOverlay runs={ticked} />}
    </div>
  );
}

function RunRow({
  run: r,
  on,
  showTest,
  toggle,
  remove,
}: {
  run: RunRecord;
  on: boolean;
  showTest: boolean;
  toggle: (id: string) => void;
  remove: (id: string) => void;
}) {
  const e = headlineEpoch(r);
  const s = r.settings;
  return (
    <tr>
      <td>
        <input type="checkbox" aria-label={`Compare run ${r.number}`} checked={on} onChange={() => toggle(r.id)} />
      </td>
      <th scope="row">Run {r.number}</th>
      <td className="clip">{r.modelLabel}</td>
      <td>{s.freeze === 'lower' ? `lower ${s.frozenLayers}` : s.freeze}</td>
      <td className="num">{formatLearningRate(s.learningRate)}</td>
      <td className="num">{s.epochs}</td>
      <td className="num">{s.batchSize}</td>
      <td className="num">{s.maxLength}</td>
      <td className="num">{r.bestEpoch ?? '–'}</td>
      <td className="num">{e ? formatMetric(e.validLoss) : '–'}</td>
      <td className="num">{e ? formatMetric(e.accuracy) : '–'}</td>
      <td className="num">{e ? formatMetric(e.macroF1) : '–'}</td>
      {showTest && (
        <>
          <td className="num">{r.test ? formatMetric(r.test.accuracy) : '–'}</td>
          <td className="num">{r.test ? formatMetric(r.test.macro.f1) : '–'}</td>
        </>
      )}
      <td className="num">{formatDuration(r.elapsedSec)}</td>
      <td>{r.status}</td>
      <td>
        <button
          type="button"
          className="ghost"
          aria-label={`Delete run ${r.number}`}
          disabled={r.status === 'running'}
          onClick={() => remove(r.id)}
        >
          ×
        </button>
      </td>
    </tr>
  );
}
