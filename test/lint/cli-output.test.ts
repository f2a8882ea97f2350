/** The CLI reaches the terminal only through electron/cli/output.ts (SECURITY.md, hostile text): lint refuses the rest. */
import { ESLint } from 'eslint';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');
const eslint = new ESLint({ cwd: root });
const RULES = ['no-restricted-properties', 'no-restricted-globals'];

async function outputErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result.messages.filter((m) => RULES.includes(m.ruleId ?? '')).map((m) => m.message);
}

describe('CLI output lint', () => {
  const forbidden: Array<[string, string]> = [
    ['process.stdout.write', "export function a(): void {\n  process.stdout.write('x');\n}"],
    ['process.stderr.write', "export function a(): void {\n  process.stderr.write('x');\n}"],
    ['console.log', "export function a(): void {\n  console.log('x');\n}"],
    ['console.error', "export function a(): void {\n  console.error('x');\n}"],
    ['a destructured stream', "export function a(): void {\n  const { stdout } = process;\n  stdout.write('x');\n}"],
  ];
  it.each(forbidden)('refuses %s in a CLI verb', async (_what, code) => {
    expect(await outputErrors('electron/cli/x-command.ts', code)).not.toHaveLength(0);
  });

  it('allows the output module and printing through it', async () => {
    expect(await outputErrors('electron/cli/output.ts', "export function a(): void {\n  process.stdout.write('x');\n}")).toHaveLength(0);
    expect(await outputErrors('electron/cli/x-command.ts', "import { printOut } from './output';\nexport function a(): void {\n  printOut('x');\n}")).toHaveLength(0);
  });

  it('holds for every file of electron/cli today', async () => {
    const files = fs.readdirSync(path.join(root, 'electron', 'cli')).filter((f) => f.endsWith('.ts') && f !== 'output.ts' && !f.endsWith('.test.ts'));
    const results = await eslint.lintFiles(files.map((f) => path.join(root, 'electron', 'cli', f)));
    const hits = results.flatMap((r) => r.messages.filter((m) => RULES.includes(m.ruleId ?? '')).map((m) => `${path.basename(r.filePath)}:${m.line} ${m.message}`));
    expect(hits).toEqual([]);
  });
});
