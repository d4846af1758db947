import { useStudio, type ErrorPlace } from '../store';

/** A worker error shown next to the step whose request failed. */
export function ErrorAlert({ place }: { place: ErrorPlace }) {
  const message = useStudio((s) => s.ui.errors[place]);
  const setError = useStudio((s) => s.setError);
  if (!message) return null;
  return (
    <div className="alert" role="alert">
      <span className="alert-text">{message}</span>
      <button type="button" className="ghost" aria-label="Dismiss error" onClick={() => setError(place, null)}>
        ×
      </button>
    </div>
  );
}
