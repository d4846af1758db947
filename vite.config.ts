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

export default defineConfig({
  plugins: [react(), isolation(), localModelsPlugin()],
  worker: { format: 'es' },
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  optimizeDeps: { exclude: ['@tensorflow/tfjs-backend-wasm'] },
});
