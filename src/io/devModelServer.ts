// Vite dev/preview plugin (Node only) that mirrors local model folders under the Hugging Face
// hub URL layout, so the studio can "download" models with no internet:
//   GET <mount>/<id>/resolve/<revision>/<file>   the file (HTTP Range, HEAD, content-length)
//   GET <mount>/api/local-models                 [{ id, files, sizeBytes, config }]
// Models are folders with a config.json directly in a root (`id` = folder name) or one level
// deeper (`id` = `org/name`). Roots: ./models and every path in $BERT_STUDIO_MODELS.
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Plugin } from 'vite';
import { validateModelId } from './catalog';

export interface LocalModel {
  id: string;
  dir: string;
  files: string[];
  sizeBytes: number;
  config: Record<string, unknown> | null;
}

/** Writes bytes [start, end] (inclusive) of `file` to the response; tests swap in slow or failing writers. */
export type SendBody = (res: ServerResponse, file: string, start: number, end: number) => void;

export interface HubMiddlewareOptions {
  roots: string[];
  /** URL prefix (default "/hub"). */
  mount?: string;
  sendBody?: SendBody;
}

type Next = (err?: unknown) => void;

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};

/** Roots from the environment: ./models under `base`, plus $BERT_STUDIO_MODELS (path-delimiter separated). */
export function defaultModelRoots(
  base: string = process.cwd(),
  env: string | undefined = process.env.BERT_STUDIO_MODELS,
): string[] {
  const extra = (env ?? '').split(path.delimiter).filter(Boolean);
  return [path.resolve(base, 'models'), ...extra.map((p) => path.resolve(base, p))];
}

async function isFile(p: string): Promise<boolean> {
  return stat(p).then(
    (s) => s.isFile(),
    () => false,
  );
}

async function listFiles(dir: string): Promise<{ files: string[]; sizeBytes: number }> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  let sizeBytes = 0;
  for (const e of entries) {
    if (!e.isFile() || e.name.startsWith('.')) continue;
    const full = path.join(e.parentPath, e.name);
    files.push(path.relative(dir, full).split(path.sep).join('/'));
    sizeBytes += (await stat(full)).size;
  }
  return { files: files.sort(), sizeBytes };
}

async function readConfig(dir: string): Promise<Record<string, unknown> | null> {
  try {
    const v: unknown = JSON.parse(await readFile(path.join(dir, 'config.json'), 'utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

async function subdirs(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
      .map((d) => d.name);
  } catch {
    return []; // a missing root is normal (no ./models folder)
  }
}

/** Every model folder under the roots; the first root wins when two hold the same id. */
export async function findLocalModels(roots: string[]): Promise<LocalModel[]> {
  const byId = new Map<string, LocalModel>();
  const add = async (id: string, dir: string): Promise<void> => {
    if (byId.has(id) || !validateModelId(id).ok) return;
    byId.set(id, { id, dir, ...(await listFiles(dir)), config: await readConfig(dir) });
  };
  for (const root of roots) {
    for (const name of await subdirs(root)) {
      const dir = path.join(root, name);
      if (await isFile(path.join(dir, 'config.json'))) await add(name, dir);
      else
        for (const inner of await subdirs(dir))
          if (await isFile(path.join(dir, inner, 'config.json'))) await add(`${name}/${inner}`, path.join(dir, inner));
    }
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** Folder for an id, or null; ids are validated so they cannot climb out of a root. */
async function modelDir(roots: string[], id: string): Promise<string | null> {
  if (!validateModelId(id).ok) return null;
  for (const root of roots) {
    const dir = path.join(root, ...id.split('/'));
    if (await isFile(path.join(dir, 'config.json'))) return dir;
  }
  return null;
}

function parseRange(header: string, size: number): { start: number; end: number } | 'invalid' | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'invalid'; // also rejects multi-range requests
  if (m[1] === '') {
    const n = Number(m[2]);
    return n === 0 || size === 0 ? 'invalid' : { start: Math.max(size - n, 0), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return start >= size || end < start ? 'invalid' : { start, end };
}

export const defaultSendBody: SendBody = (res, file, start, end) => {
  const stream = createReadStream(file, { start, end });
  stream.on('error', () => res.destroy());
  stream.pipe(res);
};

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

async function serveFile(req: IncomingMessage, res: ServerResponse, file: string, sendBody: SendBody): Promise<void> {
  const size = (await stat(file)).size;
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Content-Type', CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream');
  res.setHeader('Cache-Control', 'no-cache');
  let start = 0;
  let end = size - 1;
  const range = req.headers.range ? parseRange(req.headers.range, size) : null;
  if (range === 'invalid') {
    res.setHeader('Content-Range', `bytes */${size}`);
    return send(res, 416, 'invalid range');
  }
  if (range) {
    ({ start, end } = range);
    res.statusCode = 206;
    res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
  } else res.statusCode = 200;
  res.setHeader('Content-Length', Math.max(end - start + 1, 0));
  if (req.method === 'HEAD' || size === 0) return void res.end();
  sendBody(res, file, start, end);
}

/** Connect-style middleware; also usable with a bare node:http server (pass a `next` that sends 404). */
export function createHubMiddleware(
  options: HubMiddlewareOptions,
): (req: IncomingMessage, res: ServerResponse, next: Next) => void {
  const mount = (options.mount ?? '/hub').replace(/\/+$/, '');
  const sendBody = options.sendBody ?? defaultSendBody;
  const handle = async (req: IncomingMessage, res: ServerResponse, next: Next): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (!url.pathname.startsWith(mount + '/')) return next();
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    const rest = decodeURIComponent(url.pathname.slice(mount.length + 1));
    if (rest === 'api/local-models') {
      const list = (await findLocalModels(options.roots)).map(({ id, files, sizeBytes, config }) => ({
        id,
        files,
        sizeBytes,
        config,
      }));
      return send(res, 200, JSON.stringify(list), 'application/json; charset=utf-8');
    }
    const m = /^(.+?)\/resolve\/[^/]+\/(.+)$/.exec(rest);
    if (!m) return send(res, 404, `not a hub file URL: ${url.pathname}`);
    const [, id, name] = m as unknown as [string, string, string];
    const dir = await modelDir(options.roots, id);
    if (!dir) return send(res, 404, `no local model ${id}`);
    const file = path.resolve(dir, name);
    if (!file.startsWith(dir + path.sep) || name.split('/').some((p) => p.startsWith('.')) || !(await isFile(file))) {
      return send(res, 404, `${id} has no file ${name}`);
    }
    await serveFile(req, res, file, sendBody);
  };
  return (req, res, next) => {
    handle(req, res, next).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, `local hub error: ${(err as Error).message}`);
      else res.destroy();
    });
  };
}

/** The Vite plugin: the same middleware in `vite` (dev) and `vite preview`. */
export function localModelsPlugin(options: Partial<HubMiddlewareOptions> = {}): Plugin {
  let roots = options.roots;
  return {
    name: 'bert-studio-local-models',
    configResolved(config) {
      roots ??= defaultModelRoots(config.root);
    },
    configureServer(server) {
      server.middlewares.use(createHubMiddleware({ ...options, roots: roots ?? defaultModelRoots() }));
    },
    configurePreviewServer(server) {
      server.middlewares.use(createHubMiddleware({ ...options, roots: roots ?? defaultModelRoots() }));
    },
  };
}
