import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../vite.config';
import { REPO_ROOT } from '../shared';

// One policy in three places (the page's <meta>, the preview header, the static host's _headers):
// they must never drift apart, or the worker and the page would be governed differently.
describe('Content-Security-Policy', () => {
  it('is the same in index.html, the preview server and public/_headers', () => {
    const html = fs.readFileSync(path.join(REPO_ROOT, 'index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(CONTENT_SECURITY_POLICY);
    const headers = fs.readFileSync(path.join(REPO_ROOT, 'public/_headers'), 'utf8');
    expect(headers).toContain(`Content-Security-Policy: ${CONTENT_SECURITY_POLICY}`);
  });
});
