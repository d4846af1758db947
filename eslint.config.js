// Lint rules, including the dependency direction of STYLE.md (excalidraw-style no-restricted-imports).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const REACT_AND_STATE = [
  { group: ['react', 'react-dom', 'react-dom/*', 'react/*'], message: 'this layer must not import React' },
  { group: ['zustand', 'zustand/*'], message: 'this layer must not import zustand' },
  { group: ['**/ui', '**/ui/*', '**/store', '**/store/*'], message: 'this layer must not import ui or store' },
];
const UI = [
  { group: ['**/model', '**/model/*', '**/model/**'], message: 'the UI never touches the model' },
  {
    group: ['**/*.worker', '**/*.worker.ts', '**/train/*', '!**/train/protocol'],
    message: 'the UI talks to the worker through the store',
  },
  { group: ['@tensorflow/*'], message: 'the UI never touches tensors' },
];
// recharts loads lazily (src/ui/charts/plots.ts); one static import elsewhere puts it back in the first paint.
const RECHARTS = [
  { group: ['recharts', 'recharts/*'], message: 'import a chart from src/ui/charts; only charts/plots/ use recharts' },
  { group: ['**/charts/plots/*', './plots/*'], message: 'plots load lazily through charts/plots.ts' },
];
const TFJS = [{ group: ['@tensorflow/*'], message: 'tokenizer and data must stay free of tfjs' }];

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report', 'tests/fixtures'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Hooks rules only where React lives: elsewhere `use…` is an ordinary name.
    files: ['src/ui/**', 'src/app/**', 'src/store/**'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    files: ['src/model/**', 'src/lib/**', 'src/train/**', 'src/io/**', 'src/cli/**'],
    ignores: ['src/train/client.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: REACT_AND_STATE }] },
  },
  {
    files: ['src/tokenizer/**', 'src/data/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...REACT_AND_STATE, ...TFJS] }] },
  },
  {
    files: ['src/ui/**', 'src/app/**'],
    ignores: ['src/ui/charts/plots/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...UI, ...RECHARTS] }] },
  },
  {
    files: ['src/ui/charts/plots/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: UI }] },
  },
);
