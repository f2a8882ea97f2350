// Lint: TypeScript rules plus the layering of design.md, enforced with no-restricted-imports (house style 1).
import js from '@eslint/js';
import globals from 'globals';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** Builds a layering rule: forbidden module names and path patterns, with the reason shown in the error. */
function layer(files, { names = [], patterns = [], message }) {
  return {
    files,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: names.map((name) => ({ name, message })),
          patterns: patterns.map((p) =>
            p instanceof RegExp ? { regex: p.source, message } : { group: [p], message },
          ),
        },
      ],
    },
  };
}

export default tseslint.config(
  {
    ignores: ['node_modules/', 'out/', 'dist/', 'release/', 'electron/engine/onnx/gen/', 'test/fixtures/', 'test/artifacts/', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': ['error', { selector: 'CallExpression[callee.property.name="only"]', message: 'No .only tests.' }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['bin/**/*.cjs', '*.config.cjs', 'assets/templates/**/*.{js,cjs}'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  layer(['shared/**/*.ts'], {
    names: [...nodeBuiltins, 'electron', 'onnxruntime-node', 'react', 'react-dom'],
    patterns: ['**/electron/**', '**/renderer/**'],
    message: 'shared/ may import only pure libraries (design.md layering).',
  }),
  layer(['electron/engine/**/*.ts'], {
    names: ['electron'],
    patterns: ['**/renderer/**', '**/electron/main/**', '**/main/**', '**/preload/**', '**/cli/**', '**/server/**'],
    message: 'The engine never imports electron, the renderer or a front end (design.md layering).',
  }),
  layer(['electron/cli/**/*.ts', 'electron/server/**/*.ts'], {
    names: ['electron'],
    patterns: ['**/renderer/**', '**/main/**', '**/preload/**'],
    message: 'The CLI and server wire the engine and shared/ only; never electron or the renderer (design.md layering).',
  }),
  layer(['electron/main/**/*.ts', 'electron/preload/**/*.ts'], {
    names: ['onnxruntime-node'],
    patterns: ['**/renderer/**', '**/cli/**', '**/server/**', /(^|\/)engine\/(?!host\/)/],
    message: 'Electron main and preload use electron, shared/ and the engine host client only (design.md layering).',
  }),
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, 'electron', 'onnxruntime-node', 'sharp'].map((name) => ({
            name,
            message: 'The renderer runs in a browser sandbox: no Node built-ins or electron (design.md layering).',
          })),
          patterns: [
            {
              group: ['**/electron/**'],
              message: 'The renderer reaches the engine only through renderer/services (design.md layering).',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
);
