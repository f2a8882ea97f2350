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
});
