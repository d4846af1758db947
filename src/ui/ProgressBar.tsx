/** A labelled progress bar; indeterminate (animated) while the total is unknown. */
export function ProgressBar({ label, value, text }: { label: string; value: number | null; text?: string }) {
  return (
    <div className="progress">
      {value === null ? (
        <progress aria-label={label} />
      ) : (
        <progress aria-label={label} max={1} value={Math.max(0, Math.min(1, value))} />
      )}
      {text && <span className="progress-text">{text}</span>}
    </div>
  );
}
