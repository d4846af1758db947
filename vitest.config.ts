import { defineConfig } from 'vitest/config';

// Unit tests run in Node on the tfjs cpu/wasm backends; the browser is Playwright's job.
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
