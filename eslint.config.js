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
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/model', '**/model/*', '**/model/**'], message: 'the UI never touches the model' },
            {
              group: ['**/*.worker', '**/*.worker.ts', '**/train/*', '!**/train/protocol'],
              message: 'the UI talks to the worker through the store',
            },
            { group: ['@tensorflow/*'], message: 'the UI never touches tensors' },
          ],
        },
      ],
    },
  },
);
