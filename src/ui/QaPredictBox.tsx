import { useState } from 'react';
import { useStudio } from '../store';
import { Field } from './Field';
import { HighlightedText } from './HighlightedText';
import { useDebouncedEffect } from './hooks/useDebouncedEffect';

/** A context and a question; the answer span is highlighted in the context. */
export function QaPredictBox() {
  const predict = useStudio((s) => s.predict);
  const result = useStudio((s) => s.results.prediction);
  const busy = useStudio((s) => s.results.predicting);
  const [context, setContext] = useState('');
  const [question, setQuestion] = useState('');
  const [sentContext, setSentContext] = useState('');
  const ready = context.trim() !== '' && question.trim() !== '';
  const send = () => {
    if (!ready) return;
    setSentContext(context);
    predict(question, context);
  };
  useDebouncedEffect(send, [context, question], 250);
  const answer = result?.prediction.answer;
  return (
    <div className="stack">
      <Field label="Context">
        {({ id }) => <textarea id={id} rows={5} value={context} onChange={(e) => setContext(e.currentTarget.value)} />}
      </Field>
      <Field label="Question">
        {({ id }) => (
          <input id={id} type="text" value={question} onChange={(e) => setQuestion(e.currentTarget.value)} />
        )}
      </Field>
      <div className="actions">
        <button type="button" disabled={!ready} onClick={send}>
          Answer
        </button>
        {busy && <span className="muted">Predicting…</span>}
      </div>
      {answer && (
        <div className="stack" role="status" aria-label="Prediction result">
          <p className="prediction">
            Answer: <strong data-testid="answer-text">{answer.text || '(no answer found)'}</strong>{' '}
            <span className="muted small">score {answer.score.toFixed(2)}</span>
          </p>
          <HighlightedText
            text={sentContext}
            label="Answer in the context"
            spans={answer.text ? [{ start: answer.start, end: answer.end, badge: 'answer' }] : []}
          />
        </div>
      )}
    </div>
  );
}
