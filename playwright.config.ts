import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from './tests/e2e/browser';

const PORT = Number(process.env.E2E_PORT ?? 4317);
const HARNESS_PORT = Number(process.env.E2E_HARNESS_PORT ?? 4318);
const SHARED_DIR = process.env.SHARED_DIR ?? path.resolve(import.meta.dirname, '../shared');

// Debian's Chromium drives the tests (Playwright's own browser download fails here); the app is
// the production build served by `vite preview`, so what we test is what ships.
export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_ARGS },
    screenshot: 'only-on-failure',
    trace: 'off',
  },
  webServer: [
    {
      command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
      cwd: import.meta.dirname,
      url: `http://127.0.0.1:${PORT}`,
      reuseExistingServer: false,
      // The preview server lists and serves these folders under the hub URL layout (offline models).
      env: { BERT_STUDIO_MODELS: process.env.BERT_STUDIO_MODELS ?? `${SHARED_DIR}/models` },
      timeout: 60_000,
    },
    {
      // tests/e2e/parity.spec.ts: the model code against the PyTorch fixtures, per tfjs backend.
      command: `npx vite --config tests/e2e/harness/vite.config.ts`,
      cwd: import.meta.dirname,
      url: `http://127.0.0.1:${HARNESS_PORT}`,
      reuseExistingServer: false,
      env: { SHARED_DIR, E2E_HARNESS_PORT: String(HARNESS_PORT) },
      timeout: 60_000,
    },
  ],
});
