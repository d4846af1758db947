// A local stand-in for the Hugging Face hub (node:http + the dev plugin's middleware): serves
// the shared model folders at `<base>/<id>/resolve/main/<file>` and can misbehave on purpose.
//   normal          files as they are
//   slow            bodies throttled to `bytesPerSecond`, in small chunks
//   fail-mid-file   weight files: send half the bytes, then destroy the socket
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http, { type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHubMiddleware, defaultSendBody, type SendBody } from '../../../src/io/devModelServer';
import { sharedPath } from '../shared';

export type HubMode = 'normal' | 'slow' | 'fail-mid-file';

export interface HubServer {
  /** Hub base URL to pass as `hub` (…/hub). */
  base: string;
  mode: HubMode;
  /** Every request path, in order (to prove a cached load made none). */
  requests: string[];
  close(): Promise<void>;
}

export interface HubServerOptions {
  roots?: string[];
  mode?: HubMode;
  bytesPerSecond?: number;
  /** Files that fail-mid-file breaks (default: weight files). */
  failOn?: RegExp;
}

export const DEFAULT_ROOTS = [sharedPath('models'), sharedPath('fixtures', 'bert-parity')];

function slowBody(bytesPerSecond: number): SendBody {
  const chunk = 16 * 1024;
  const delayMs = Math.max(1, Math.round((chunk / bytesPerSecond) * 1000));
  return (res, file, start, end) => {
    const stream = createReadStream(file, { start, end, highWaterMark: chunk });
    stream.on('data', (buf) => {
      stream.pause();
      res.write(buf, () => setTimeout(() => stream.resume(), delayMs));
    });
    stream.on('end', () => res.end());
    stream.on('error', () => res.destroy());
    res.on('close', () => stream.destroy());
  };
}

function failingBody(res: ServerResponse, file: string, start: number, end: number): void {
  void readFile(file).then((all) => {
    const part = all.subarray(start, start + Math.floor((end - start + 1) / 2));
    res.write(part, () => setTimeout(() => res.socket?.destroy(), 20));
  });
}

export async function startHubServer(options: HubServerOptions = {}): Promise<HubServer> {
  const failOn = options.failOn ?? /\.(safetensors|bin)$/;
  const state = { mode: options.mode ?? ('normal' as HubMode) };
  const slow = slowBody(options.bytesPerSecond ?? 2_000_000);
  const sendBody: SendBody = (res, file, start, end) => {
    if (state.mode === 'slow') return slow(res, file, start, end);
    if (state.mode === 'fail-mid-file' && failOn.test(file)) return failingBody(res, file, start, end);
    return defaultSendBody(res, file, start, end);
  };
  const middleware = createHubMiddleware({ roots: options.roots ?? DEFAULT_ROOTS, mount: '/hub', sendBody });
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    middleware(req, res, () => {
      res.statusCode = 404;
      res.end('not found');
    });
  });
  // Longer than any pause between tests, so a client never reuses a socket the server just closed.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/hub`,
    get mode() {
      return state.mode;
    },
    set mode(m: HubMode) {
      state.mode = m;
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
