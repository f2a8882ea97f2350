// Lint: TypeScript rules plus the layering of design.md, enforced with no-restricted-imports (house style 1).
import js from '@eslint/js';
import globals from 'globals';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/**
 * An import restriction: module names and import-path patterns (glob strings or RegExps matched against the import as
 * written) that a group of files may not import, and the reason shown in the error.
 * @typedef {{ names?: string[], patterns?: Array<string | RegExp>, message: string, allowTypeImports?: boolean }} Restriction
 */

/**
 * Builds the layering block of a group of files from every restriction that holds there. A file takes the rule's
 * options from the last block matching it, so each block lists all restrictions of its files and the blocks of one
 * area are kept apart with `ignores`.
 * @param {string[]} files
 * @param {Restriction[]} restrictions
 * @param {string[]} [ignores]
 */
function layer(files, restrictions, ignores = []) {
  const typeImports = (r) => (r.allowTypeImports ? { allowTypeImports: true } : {});
  return {
    files,
    ...(ignores.length ? { ignores } : {}),
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: restrictions.flatMap((r) => (r.names ?? []).map((name) => ({ name, message: r.message, ...typeImports(r) }))),
          patterns: restrictions.flatMap((r) =>
            (r.patterns ?? []).map((p) => ({
              ...(p instanceof RegExp ? { regex: p.source } : { group: [p] }),
              message: r.message,
              ...typeImports(r),
            })),
          ),
        },
      ],
    },
  };
}

// Process boundaries (design.md layering).

/** @type {Restriction} */
const sharedIsPure = {
  names: [...nodeBuiltins, 'electron', 'react', 'react-dom'],
  patterns: ['**/electron/**', '**/renderer/**'],
  message: 'shared/ may import only pure libraries (design.md layering).',
};
/** @type {Restriction} */
const engineBelowFrontEnds = {
  names: ['electron'],
  patterns: ['**/renderer/**', '**/electron/main/**', '**/main/**', '**/preload/**', '**/cli/**', '**/server/**'],
  message: 'The engine never imports electron, the renderer or a front end (design.md layering).',
};
/** @type {Restriction} */
const cliAndServerWireTheEngine = {
  names: ['electron'],
  patterns: ['**/renderer/**', '**/main/**', '**/preload/**'],
  message: 'The CLI and server wire the engine and shared/ only; never electron or the renderer (design.md layering).',
};
/** @type {Restriction} */
const mainUsesTheEngineHost = {
  patterns: ['**/renderer/**', '**/cli/**', '**/server/**', /(^|\/)engine\/(?!host\/)/],
  message: 'Electron main and preload use electron, shared/ and the engine host client only (design.md layering).',
};
/** @type {Restriction} */
const rendererIsSandboxed = {
  names: [...nodeBuiltins, 'electron', 'sharp'],
  message: 'The renderer runs in a browser sandbox: no Node built-ins or electron (design.md layering).',
};
/** @type {Restriction} */
const rendererUsesServices = {
  patterns: ['**/electron/**'],
  allowTypeImports: true,
  message: 'The renderer reaches the engine only through renderer/services (design.md layering).',
};

// Inside the engine and the renderer (design.md, "Inside the engine").

/** @type {Restriction} */
const frontEndsUseEngineEntry = {
  patterns: [/(^|\/)engine\/(?!index(\.ts)?$)/],
  message: "The CLI and server import the engine only through its public entry electron/engine/index.ts ('../engine'); export what you need there.",
};
/** @type {Restriction} */
const onnxruntimeOnlyInRuntime = {
  names: ['onnxruntime-node'],
  patterns: ['onnxruntime-node/*'],
  message: 'Only electron/engine/runtime/ imports onnxruntime-node; everything else runs models through the runtime (design.md, "Inside the engine").',
};
/** @type {Restriction} */
const handlersOnlyInFeatures = {
  patterns: [/(^|\/)[^/]*-handlers(\.ts)?$/],
  message: 'A *-handlers.ts file only builds its handler table for electron/engine/features.ts; import the feature module that holds what you need.',
};
const FEATURES = 'optimize|evaluate|package|targets|variants|graph';
/**
 * The core (onnx/, jobs/, store/, studio-engine.ts) never imports a feature; analysis/ and runtime/ sit below the features.
 * @param {string} up - how an import path from these files reaches electron/engine/ (a regex source)
 * @returns {Restriction}
 */
const coreWithoutFeatures = (up) => ({
  patterns: [new RegExp(`^${up}(${FEATURES})(/|$)`)],
  message: `The engine core (onnx/, jobs/, store/, studio-engine.ts) never imports a feature (${FEATURES.replaceAll('|', '/, ')}/) (design.md, "Inside the engine").`,
});
/** @type {Restriction} */
const storeWithoutScreens = {
  patterns: [/(^|\/)screens(\/|$)/],
  message: 'renderer/store never imports renderer/screens; move what both need into the store, renderer/services or shared/.',
};

// Terminal output of the CLI (SECURITY.md, hostile text): model text reaches the terminal only through electron/cli/output.ts.
const noOnly = { selector: 'CallExpression[callee.property.name="only"]', message: 'No .only tests.' };
const cliPrintsThroughOutput = 'The CLI prints only through electron/cli/output.ts (printOut, printErr, printJson, showStatus), which escapes control characters from model text.';

const engineCore = ['electron/engine/onnx/**/*.ts', 'electron/engine/jobs/**/*.ts', 'electron/engine/store/**/*.ts'];
const engineRuntime = ['electron/engine/runtime/**/*.ts'];
const studioEngine = ['electron/engine/studio-engine.ts'];
const compositionRoot = ['electron/engine/features.ts'];
const rendererStore = ['renderer/store/**/*.{ts,tsx}'];

export default tseslint.config(
  {
    ignores: ['node_modules/', 'out/', 'dist/', 'release/', 'electron/engine/onnx/gen/', 'electron/engine/export/tflite/generated/', 'test/fixtures/', 'test/artifacts/', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': ['error', noOnly],
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
  layer(['shared/**/*.ts'], [sharedIsPure, onnxruntimeOnlyInRuntime, handlersOnlyInFeatures]),
  layer(['electron/engine/**/*.ts'], [engineBelowFrontEnds, onnxruntimeOnlyInRuntime, handlersOnlyInFeatures], [
    ...engineRuntime,
    ...engineCore,
    ...studioEngine,
    ...compositionRoot,
  ]),
  layer(engineRuntime, [engineBelowFrontEnds, handlersOnlyInFeatures]),
  layer(engineCore, [engineBelowFrontEnds, onnxruntimeOnlyInRuntime, handlersOnlyInFeatures, coreWithoutFeatures('(\\.\\./)+')]),
  layer(studioEngine, [engineBelowFrontEnds, onnxruntimeOnlyInRuntime, handlersOnlyInFeatures, coreWithoutFeatures('\\./')]),
  layer(compositionRoot, [engineBelowFrontEnds, onnxruntimeOnlyInRuntime]),
  layer(['electron/cli/**/*.ts', 'electron/server/**/*.ts'], [
    cliAndServerWireTheEngine,
    frontEndsUseEngineEntry,
    onnxruntimeOnlyInRuntime,
    handlersOnlyInFeatures,
  ]),
  {
    files: ['electron/cli/**/*.ts'],
    ignores: ['electron/cli/output.ts', 'electron/cli/**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'stdout', message: cliPrintsThroughOutput },
        { object: 'process', property: 'stderr', message: cliPrintsThroughOutput },
        { object: 'console', message: cliPrintsThroughOutput },
      ],
      'no-restricted-globals': ['error', { name: 'console', message: cliPrintsThroughOutput }],
    },
  },
  layer(['electron/main/**/*.ts', 'electron/preload/**/*.ts'], [mainUsesTheEngineHost, onnxruntimeOnlyInRuntime, handlersOnlyInFeatures]),
  layer(['renderer/**/*.{ts,tsx}'], [rendererIsSandboxed, rendererUsesServices, onnxruntimeOnlyInRuntime, handlersOnlyInFeatures], rendererStore),
  layer(rendererStore, [rendererIsSandboxed, rendererUsesServices, onnxruntimeOnlyInRuntime, handlersOnlyInFeatures, storeWithoutScreens]),
  layer(['test/**/*.{ts,tsx}', 'scripts/**/*.{ts,mjs}'], [handlersOnlyInFeatures]),
);
