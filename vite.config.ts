import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { localModelsPlugin } from './src/io/devModelServer';

// Cross-origin isolation lets WASM use SharedArrayBuffer threads; required in dev, preview and
// (via public/_headers for static hosts) the production build.
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

// The same policy as index.html's <meta>, sent as a header so that it also binds the training
// worker (a worker takes its policy from its own response, not from the page). Not in dev: Vite's
// dev server injects an inline React preamble that a header policy would block.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self' https://huggingface.co https://*.huggingface.co https://*.hf.co",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

type Res = { setHeader(k: string, v: string): void };

function isolation(): Plugin {
  const add = (headers: Record<string, string>) => (_req: unknown, res: Res, next: () => void) => {
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    next();
  };
  return {
    name: 'bert-studio-isolation',
    configureServer: (server) => void server.middlewares.use(add(ISOLATION_HEADERS)),
    configurePreviewServer: (server) =>
      void server.middlewares.use(add({ ...ISOLATION_HEADERS, 'Content-Security-Policy': CONTENT_SECURITY_POLICY })),
  };
}

/**
 * tfjs-backend-wasm's threaded build gives its pthread workers the Emscripten glue as
 * `new Blob(['var WasmBackendModuleThreadedSimd = ' + factory.toString()])`, re-creating the
 * factory from its own source text. Minified, that text refers to a renamed variable of its
 * enclosing closure (`typeof _scriptDir !== "undefined" && _scriptDir` becomes `e!==void 0&&e`),
 * so every pthread worker dies with "ReferenceError: e is not defined". Instead, ship the untouched
 * glue file as an asset and hand its URL to the workers: it defines the same global, and a
 * same-origin URL needs no `blob:` in script-src. Dev serves unminified code, where the stock
 * Blob works, so this is build-only.
 */
function tfjsWasmThreadsGlue(): Plugin {
  const file = /[\\/]@tensorflow[\\/]tfjs-backend-wasm[\\/]dist[\\/]backend_wasm\.js$/;
  const blob =
    /new Blob\(\[`var WasmBackendModuleThreadedSimd = ` \+\s*wasmFactoryThreadedSimd\.toString\(\)\], \{ type: 'text\/javascript' \}\)/;
  return {
    name: 'tfjs-wasm-threads-glue',
    apply: 'build',
    transform(code, id) {
      if (!file.test(id.split('?')[0]!)) return null;
      // Fail the build rather than ship a threaded backend that crashes (a tfjs upgrade may move this).
      if (!blob.test(code)) this.error(`tfjs-wasm-threads-glue: the pthread glue Blob is no longer in ${id}`);
      const glue = "import threadedGlueUrl from '../wasm-out/tfjs-backend-wasm-threaded-simd.js?url';\n";
      // Absolute: the pthread workers run from blob: URLs, against which a path does not resolve.
      return { code: glue + code.replace(blob, 'new URL(threadedGlueUrl, self.location.href).href'), map: null };
    },
  };
}

export default defineConfig({
  plugins: [react(), isolation(), localModelsPlugin(), tfjsWasmThreadsGlue()],
  // The wasm backend runs in the training worker, whose bundle only gets worker.plugins.
  worker: { format: 'es', plugins: () => [tfjsWasmThreadsGlue()] },
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  // Pre-bundled so that its CommonJS parts (the Emscripten glue, `wasmWorkerContents`) get ES
  // exports in dev; served raw, the import of `wasmWorkerContents` fails and wasm is skipped.
  optimizeDeps: { include: ['@tensorflow/tfjs-backend-wasm'] },
});
