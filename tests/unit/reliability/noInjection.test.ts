// Static checks over the source: user text (dataset cells, labels, column and file names, model
// cards) only reaches the DOM through React's escaping, nothing evaluates strings as code, nothing
// phones home, and index.html carries the Content-Security-Policy that security.spec.ts exercises.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../shared';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : /\.(ts|tsx|js|html|css)$/.test(e.name) ? [p] : [];
  });
}

const SHIPPED = [...filesUnder(path.join(REPO_ROOT, 'src')), path.join(REPO_ROOT, 'index.html')];
const publicDir = path.join(REPO_ROOT, 'public');

function matches(pattern: RegExp, files = SHIPPED): string[] {
  return files.flatMap((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .flatMap((line, i) => (pattern.test(line) ? [`${path.relative(REPO_ROOT, f)}:${i + 1}: ${line.trim()}`] : [])),
  );
}

describe('no HTML injection sinks in src', () => {
  it('has no dangerouslySetInnerHTML (the grep -r of the security issue)', () => {
    expect(SHIPPED.length).toBeGreaterThan(50);
    expect(matches(/dangerouslySetInnerHTML/)).toEqual([]);
  });

  it('has no other raw-HTML or string-to-code sinks', () => {
    const sinks =
      /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(|srcdoc|javascript:/;
    expect(matches(sinks)).toEqual([]);
  });

  it('the checks would catch a sink (the scanner itself works)', () => {
    const probe = path.join(REPO_ROOT, 'tests/unit/reliability/noInjection.test.ts');
    expect(matches(/dangerouslySetInnerHTML/, [probe]).length).toBeGreaterThan(0);
  });
});

describe('privacy', () => {
  it('ships no analytics, trackers or beacons', () => {
    const trackers =
      /google-analytics|googletagmanager|gtag\(|doubleclick|segment\.(io|com)|mixpanel|plausible|posthog|sentry|hotjar|amplitude|clarity\.ms|sendBeacon/i;
    const publicFiles = readdirSync(publicDir).map((f) => path.join(publicDir, f));
    expect(matches(trackers, [...SHIPPED, ...publicFiles])).toEqual([]);
  });

  it('every absolute URL the source fetches from is the hub', () => {
    const urls = matches(/https?:\/\/[a-z0-9.-]+/i)
      .flatMap((l) => l.match(/https?:\/\/[a-z0-9.-]+/gi) ?? [])
      .map((u) => u.toLowerCase());
    const hosts = new Set(urls.map((u) => new URL(u).host));
    // documentation links and a cache-key origin that is never requested are fine; anything else is new
    const allowed = /(^|\.)huggingface\.co$|(^|\.)hf\.co$|^github\.com$|\.invalid$|^local$/;
    expect([...hosts].filter((h) => !allowed.test(h))).toEqual([]);
  });
});

describe('index.html Content-Security-Policy', () => {
  const html = readFileSync(path.join(REPO_ROOT, 'index.html'), 'utf8');
  const content = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
  const policy = new Map(
    content
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!, values]),
  );

  it('comes before any script so it governs all of them', () => {
    expect(html.indexOf('Content-Security-Policy')).toBeGreaterThan(0);
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
  });

  it('limits connections to this origin and the hub, and scripts to this origin plus wasm', () => {
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual([
      "'self'",
      'https://huggingface.co',
      'https://*.huggingface.co',
      'https://*.hf.co',
    ]);
    expect(policy.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(policy.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
  });

  it('never allows inline or evaluated script, or any-host sources', () => {
    expect(content).not.toMatch(/'unsafe-eval'|'strict-dynamic'|\s\*(\s|;|$)|https:(\s|;|$)|http:/);
    expect(policy.get('script-src')).not.toContain("'unsafe-inline'");
  });

  it('holds only directives a <meta> policy honours (Chromium logs an error for the others)', () => {
    for (const name of ['frame-ancestors', 'report-uri', 'report-to', 'sandbox']) expect(policy.has(name)).toBe(false);
  });
});
