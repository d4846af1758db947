// Tiny `--flag value` / `--switch` parser: the CLI needs nothing more.
export interface ParsedArgs {
  flags: Map<string, string | true>;
  positional: string[];
}

export function parseArgs(args: string[]): ParsedArgs {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
      else {
        const next = args[i + 1];
        if (next !== undefined && !next.startsWith('--')) {
          flags.set(a.slice(2), next);
          i++;
        } else flags.set(a.slice(2), true);
      }
    } else positional.push(a);
  }
  return { flags, positional };
}

export function requireFlag(p: ParsedArgs, name: string): string {
  const v = p.flags.get(name);
  if (typeof v !== 'string') throw new Error(`missing required option --${name}`);
  return v;
}

export function numberFlag(p: ParsedArgs, name: string, fallback: number): number {
  const v = p.flags.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${String(v)}`);
  return n;
}
