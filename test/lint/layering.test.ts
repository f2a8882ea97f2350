/** The layering rules of design.md are machine-checked: each forbidden import fails lint, allowed ones pass. */
import { ESLint } from 'eslint';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

async function layeringErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

describe('layering lint', () => {
  const forbidden: Array<[string, string]> = [
    ['shared/api/x.ts', "import * as fs from 'node:fs';\nexport const a = fs;"],
    ['shared/api/x.ts', "import { app } from 'electron';\nexport const a = app;"],
    ['shared/api/x.ts', "import { StudioEngine } from '../../electron/engine/studio-engine';\nexport const a = StudioEngine;"],
    ['electron/engine/x.ts', "import { app } from 'electron';\nexport const a = app;"],
    ['electron/engine/x.ts', "import { startServer } from '../server/studio-server';\nexport const a = startServer;"],
    ['electron/cli/x.ts', "import { BrowserWindow } from 'electron';\nexport const a = BrowserWindow;"],
    ['electron/server/x.ts', "import { App } from '../../renderer/app/app';\nexport const a = App;"],
    ['electron/main/x.ts', "import { summarize } from '../engine/analysis/summary';\nexport const a = summarize;"],
    ['electron/main/x.ts', "import * as ort from 'onnxruntime-node';\nexport const a = ort;"],
    ['renderer/x.ts', "import * as fs from 'fs';\nexport const a = fs;"],
    ['renderer/x.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;"],
    ['renderer/x.ts', "import { StudioEngine } from '../electron/engine/studio-engine';\nexport const a = StudioEngine;"],
  ];
  it.each(forbidden)('refuses a forbidden import in %s', async (file, code) => {
    expect(await layeringErrors(file, code)).not.toHaveLength(0);
  });

  const allowed: Array<[string, string]> = [
    ['shared/api/x.ts', "import { z } from 'zod';\nexport const a = z;"],
    ['electron/engine/x.ts', "import * as fs from 'node:fs';\nimport { StudioError } from '../../shared/api/errors';\nexport const a = [fs, StudioError];"],
    ['electron/main/x.ts', "import { EngineClient } from '../engine/host/engine-client';\nexport const a = EngineClient;"],
    ['renderer/x.ts', "import type { StudioBridge } from '../electron/preload/studio-bridge';\nexport type A = StudioBridge;"],
  ];
  it.each(allowed)('allows a permitted import in %s', async (file, code) => {
    expect(await layeringErrors(file, code)).toHaveLength(0);
  });
  /** Inside the engine and the renderer: each violation is reported with its own rule's message. */
  const insideForbidden: Array<[file: string, reason: string, code: string]> = [
    // the CLI and the server reach the engine only through its public entry
    ['electron/cli/x.ts', 'public entry', "import { loadModelFile } from '../engine/onnx/load';\nexport const a = loadModelFile;"],
    ['electron/cli/x.ts', 'public entry', "import { createEngine } from '../engine/features';\nexport const a = createEngine;"],
    ['electron/server/x.ts', 'public entry', "import type { EngineClient } from '../engine/host/engine-client';\nexport type A = EngineClient;"],
    // only runtime/ imports onnxruntime-node
    ['electron/engine/targets/x.ts', 'Only electron/engine/runtime/', "import * as ort from 'onnxruntime-node';\nexport const a = ort;"],
    ['electron/engine/optimize/quantize/x.ts', 'Only electron/engine/runtime/', "import type { InferenceSession } from 'onnxruntime-node';\nexport type A = InferenceSession;"],
    ['electron/engine/features.ts', 'Only electron/engine/runtime/', "import * as ort from 'onnxruntime-node';\nexport const a = ort;"],
    ['electron/cli/x.ts', 'Only electron/engine/runtime/', "import * as ort from 'onnxruntime-node';\nexport const a = ort;"],
    ['shared/api/x.ts', 'Only electron/engine/runtime/', "import * as ort from 'onnxruntime-node';\nexport const a = ort;"],
    ['renderer/x.ts', 'Only electron/engine/runtime/', "import type { Tensor } from 'onnxruntime-node';\nexport type A = Tensor;"],
    // handler files are imported by the composition root only
    ['electron/engine/package/x.ts', 'handler table', "import { runtimeHandlers } from '../runtime/runtime-handlers';\nexport const a = runtimeHandlers;"],
    ['electron/engine/graph/x.ts', 'handler table', "import { graphHandlers } from './graph-handlers';\nexport const a = graphHandlers;"],
    ['electron/engine/optimize/quantize/x.ts', 'handler table', "import { variantHandlers } from '../../variants/variant-handlers';\nexport const a = variantHandlers;"],
    ['test/engine/x.test.ts', 'handler table', "import { runtimeHandlers } from '../../electron/engine/runtime/runtime-handlers';\nexport const a = runtimeHandlers;"],
    // the core never imports a feature
    ['electron/engine/onnx/x.ts', 'engine core', "import { findPass } from '../optimize/pass';\nexport const a = findPass;"],
    ['electron/engine/onnx/ir/x.ts', 'engine core', "import { graphDtoOf } from '../../graph/graph-dtos';\nexport const a = graphDtoOf;"],
    ['electron/engine/jobs/x.ts', 'engine core', "import { evaluateModel } from '../evaluate';\nexport const a = evaluateModel;"],
    ['electron/engine/store/x.ts', 'engine core', "import { ProfileStore } from '../targets/profile-store';\nexport const a = ProfileStore;"],
    ['electron/engine/studio-engine.ts', 'engine core', "import { variantStore } from './variants/variant-family';\nexport const a = variantStore;"],
    ['electron/engine/studio-engine.ts', 'engine core', "import { preparePackage } from './package/package-plan';\nexport const a = preparePackage;"],
    // the renderer's store never imports a screen
    ['renderer/store/x.ts', 'renderer/store never imports', "import { GraphScreen } from '../screens/graph/graph-screen';\nexport const a = GraphScreen;"],
  ];
  it.each(insideForbidden)('refuses a forbidden import in %s ("%s")', async (file, reason, code) => {
    const errors = await layeringErrors(file, code);
    expect(errors.some((m) => m.includes(reason)), errors.join('\n')).toBe(true);
  });

  const insideAllowed: Array<[string, string]> = [
    ['electron/cli/x.ts', "import { loadModelFile, type LoadedModel } from '../engine';\nexport const a: (p: string) => LoadedModel = loadModelFile;"],
    ['electron/server/x.ts', "import type { EngineClient } from '../engine/index';\nexport type A = EngineClient;"],
    ['electron/engine/runtime/x.ts', "import * as ort from 'onnxruntime-node';\nexport const a = ort;"],
    ['electron/engine/runtime/runner/x.ts', "import * as ort from 'onnxruntime-node';\nexport const a = ort;"],
    ['test/engine/x.test.ts', "import * as ort from 'onnxruntime-node';\nexport const a = ort;"],
    ['electron/engine/features.ts', "import { runtimeHandlers } from './runtime/runtime-handlers';\nexport const a = runtimeHandlers;"],
    ['electron/engine/package/x.ts', "import { runtimeFor } from '../runtime/engine-runtime';\nexport const a = runtimeFor;"],
    ['electron/engine/studio-engine.ts', "import { summarize } from './analysis/summary';\nexport const a = summarize;"],
    ['electron/engine/onnx/ir/x.ts', "import { Graph } from './graph';\nexport const a = Graph;"],
    ['electron/engine/jobs/x.ts', "import { loadModelFile } from '../onnx/load';\nexport const a = loadModelFile;"],
    ['electron/engine/package/x.ts', "import { profileStore } from '../targets/target-services';\nexport const a = profileStore;"],
    ['renderer/store/x.ts', "import { searchGraph } from '../../shared/graph/graph-search';\nimport { studioClient } from '../services';\nexport const a = [searchGraph, studioClient];"],
    ['renderer/screens/x.tsx', "import { useStudio } from '../store';\nexport const a = useStudio;"],
  ];
  it.each(insideAllowed)('allows a permitted import in %s (case %#)', async (file, code) => {
    expect(await layeringErrors(file, code)).toHaveLength(0);
  });
});
