import { useState } from 'react';
import { useStudio } from '../store';
import { Field } from './Field';

/** Type a sentence, list the dataset rows nearest to it by cosine similarity of the embeddings. */
export function SimilarSearch() {
  const findSimilar = useStudio((s) => s.findSimilar);
  const similar = useStudio((s) => s.embed.similar);
  const searching = useStudio((s) => s.embed.searching);
  const [text, setText] = useState('');
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) findSimilar(text);
      }}
    >
      <Field label="Find similar" help="The 10 rows whose embeddings are closest (cosine similarity).">
        {({ id, describedBy }) => (
          <input id={id} aria-describedby={describedBy} value={text} onChange={(e) => setText(e.currentTarget.value)} />
        )}
      </Field>
      <div className="actions">
        <button type="submit" disabled={!text.trim() || searching}>
          Search
        </button>
        {searching && <span className="muted">Searching…</span>}
      </div>
      {similar && (
        <div className="table-wrap">
          <table className="table" aria-label="Similar rows">
            <thead>
              <tr>
                <th scope="col" className="num">
                  Row
                </th>
                <th scope="col">Text</th>
                <th scope="col">Label</th>
                <th scope="col" className="num">
                  Cosine
                </th>
              </tr>
            </thead>
            <tbody>
              {similar.rows.map((r) => (
                <tr key={r.row}>
                  <td className="num">{r.row}</td>
                  <td className="text-cell">{r.text}</td>
                  <td>{r.label ?? ''}</td>
                  <td className="num">{r.score.toFixed(4)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </form>
  );
}
