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

function isolation(): Plugin {
  const add = (_req: unknown, res: { setHeader(k: string, v: string): void }, next: () => void) => {
    for (const [k, v] of Object.entries(ISOLATION_HEADERS)) res.setHeader(k, v);
    next();
  };
  return {
    name: 'bert-studio-isolation',
    configureServer: (server) => void server.middlewares.use(add),
    configurePreviewServer: (server) => void server.middlewares.use(add),
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
