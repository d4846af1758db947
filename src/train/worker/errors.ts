// One clear line for the page out of whatever a handler threw.
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const rows = (err as { rows?: unknown }).rows;
    const where =
      Array.isArray(rows) && rows.length
        ? ` (rows ${rows.slice(0, 10).join(', ')}${rows.length > 10 ? ', …' : ''})`
        : '';
    return `${err.message}${where}${typeof code === 'string' && !err.message.includes(code) ? ` [${code}]` : ''}`;
  }
  return String(err);
}
