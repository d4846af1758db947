export interface HighlightSpan {
  start: number;
  end: number;
  /** Shown as a badge after the span (an entity type, "answer"). */
  badge: string;
}

/**
 * The text with each span marked and badged. Plain text nodes only: whatever the text holds is
 * shown as text, never parsed as HTML. Spans are sorted; one that overlaps the previous is skipped.
 */
export function HighlightedText({ text, spans, label }: { text: string; spans: HighlightSpan[]; label: string }) {
  const parts: { text: string; badge: string | null }[] = [];
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    if (s.start < at || s.end <= s.start || s.end > text.length) continue;
    if (s.start > at) parts.push({ text: text.slice(at, s.start), badge: null });
    parts.push({ text: text.slice(s.start, s.end), badge: s.badge });
    at = s.end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), badge: null });
  return (
    <p className="highlighted" aria-label={label}>
      {parts.map((p, i) =>
        p.badge === null ? (
          <span key={i}>{p.text}</span>
        ) : (
          <mark key={i} className="span-mark" data-type={p.badge}>
            {p.text}
            <span className="span-badge">{p.badge}</span>
          </mark>
        ),
      )}
    </p>
  );
}
