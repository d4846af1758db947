import { useState } from 'react';
import { useStudio } from '../store';
import { Field } from './Field';
import { HighlightedText } from './HighlightedText';
import { useDebouncedEffect } from './hooks/useDebouncedEffect';

/** Type a sentence, see its entities highlighted with their types; requests go out 250 ms after typing stops. */
export function EntityPredictBox() {
  const predict = useStudio((s) => s.predict);
  const result = useStudio((s) => s.results.prediction);
  const busy = useStudio((s) => s.results.predicting);
  const [text, setText] = useState('');
  // The text the shown result belongs to: spans index into it, not into what is typed now.
  const [sent, setSent] = useState('');
  const send = () => {
    if (!text.trim()) return;
    setSent(text);
    predict(text, null);
  };
  useDebouncedEffect(send, [text], 250);
  const entities = result?.prediction.entities;
  return (
    <div className="stack">
      <Field label="Try a sentence" help="Words are split on spaces; each gets a tag, and tagged runs become entities.">
        {({ id, describedBy }) => (
          <textarea
            id={id}
            aria-describedby={describedBy}
            rows={3}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
          />
        )}
      </Field>
      <div className="actions">
        <button type="button" disabled={!text.trim()} onClick={send}>
          Find entities
        </button>
        {busy && <span className="muted">Predicting…</span>}
      </div>
      {entities && (
        <div className="stack" role="status" aria-label="Prediction result">
          <HighlightedText
            text={sent}
            label="Entities in the sentence"
            spans={entities.map((e) => ({ start: e.start, end: e.end, badge: e.type }))}
          />
          <p className="muted small" data-testid="entity-count">
            {entities.length === 0
              ? 'No entities found.'
              : `${entities.length} ${entities.length === 1 ? 'entity' : 'entities'}: ${entities.map((e) => `${e.text} (${e.type})`).join(', ')}`}
          </p>
        </div>
      )}
    </div>
  );
}
