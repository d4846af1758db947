import { useState } from 'react';
import { useStudio } from '../store';
import { Field } from './Field';
import { useDebouncedEffect } from './hooks/useDebouncedEffect';
import { ProbabilityBars } from './ProbabilityBars';

/** Type a sentence, see the prediction; requests go out 250 ms after typing stops. */
export function PredictBox() {
  const pair = useStudio((s) => s.model.task === 'pair-cls');
  const predict = useStudio((s) => s.predict);
  const result = useStudio((s) => s.results.prediction);
  const busy = useStudio((s) => s.results.predicting);
  const [text, setText] = useState('');
  const [textPair, setTextPair] = useState('');
  const send = () => {
    if (text.trim()) predict(text, pair ? textPair : null);
  };
  useDebouncedEffect(send, [text, textPair], 250);
  return (
    <div className="stack">
      <Field label="Try a sentence">
        {({ id }) => <textarea id={id} rows={3} value={text} onChange={(e) => setText(e.currentTarget.value)} />}
      </Field>
      {pair && (
        <Field label="Second sentence">
          {({ id }) => (
            <textarea id={id} rows={3} value={textPair} onChange={(e) => setTextPair(e.currentTarget.value)} />
          )}
        </Field>
      )}
      <div className="actions">
        <button type="button" disabled={!text.trim()} onClick={send}>
          Predict
        </button>
        {busy && <span className="muted">Predicting…</span>}
      </div>
      {result && (
        <div className="stack" role="status" aria-label="Prediction result">
          {result.prediction.predictedLabels ? (
            <p className="prediction">
              Labels above {result.prediction.threshold}:{' '}
              <strong data-testid="predicted-labels">{result.prediction.predictedLabels.join(', ') || '(none)'}</strong>
            </p>
          ) : (
            <p className="prediction">
              Predicted label: <strong data-testid="predicted-label">{result.prediction.predicted}</strong>
            </p>
          )}
          <ProbabilityBars prediction={result.prediction} />
        </div>
      )}
    </div>
  );
}
