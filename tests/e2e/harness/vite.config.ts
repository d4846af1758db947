// Dev server for the in-browser parity harness (tests/e2e/parity.spec.ts): serves index.html from
// this folder, the model code from src/ and the PyTorch fixtures under /bert-parity/, with the same
// cross-origin isolation headers as the app (vite.config.ts at the repo root).
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const REPO = path.resolve(import.meta.dirname, '../../..');
const SHARED_DIR = process.env.SHARED_DIR ?? path.resolve(REPO, '../shared');
const FIXTURES = path.join(SHARED_DIR, 'fixtures', 'bert-parity');
const HARNESS_PORT = Number(process.env.E2E_HARNESS_PORT ?? 4318);

const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** GET /bert-parity/<file> -> ../shared/fixtures/bert-parity/<file>, refusing paths outside it. */
function fixtures(): Plugin {
  return {
    name: 'bert-parity-fixtures',
    configureServer(server) {
      server.middlewares.use('/bert-parity', (req, res, next) => {
        const rel = decodeURIComponent((req.url ?? '/').split('?')[0]!);
        const file = path.resolve(FIXTURES, `.${rel}`);
        if (!file.startsWith(FIXTURES + path.sep)) return next();
        let size: number;
        try {
          const st = statSync(file);
          if (!st.isFile()) return next();
          size = st.size;
        } catch {
          res.statusCode = 404;
          return void res.end();
        }
        for (const [k, v] of Object.entries(ISOLATION_HEADERS)) res.setHeader(k, v);
        res.setHeader('Content-Type', 'application/octet-stream');
        res.setHeader('Content-Length', String(size));
        createReadStream(file).pipe(res);
      });
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  // Its own dependency cache, so it never fights the app's dev server over node_modules/.vite.
  cacheDir: path.join(REPO, 'node_modules/.vite-parity-harness'),
  plugins: [fixtures()],
  server: {
    host: '127.0.0.1',
    port: HARNESS_PORT,
    strictPort: true,
    headers: ISOLATION_HEADERS,
    fs: { strict: true, allow: [REPO, SHARED_DIR] },
  },
  // Pre-bundle everything the page imports up front: a dependency discovered at run time would
  // make Vite re-optimise and reload the page in the middle of a test. The wasm backend must be
  // pre-bundled too: served raw, its CommonJS worker stub has no ES exports.
  optimizeDeps: {
    entries: ['index.html'],
    include: [
      '@tensorflow/tfjs',
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-backend-wasm',
      '@tensorflow/tfjs-backend-webgpu',
      'fflate',
    ],
  },
  logLevel: 'warn',
});
