/** Entry of the engine host process: runs a StudioEngine and answers calls from its parent. */
import * as path from 'node:path';
import { toErrorDto } from '../../../shared/api/errors';
import { parseRequest, type RequestOf } from '../../../shared/api/methods';
import { createEngine } from '../features';
import type { StudioEngine } from '../studio-engine';
import type { FromHost, HostInit, ToHost } from './protocol';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

const electronPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function post(message: FromHost): void {
  if (electronPort) electronPort.postMessage(message);
  else process.send?.(message);
}

let engine: StudioEngine | undefined;
let jsonResults = false;
const allowedRoots: string[] = [];

function isAllowed(abs: string): boolean {
  return allowedRoots.some((root) => {
    const rel = path.relative(root, abs);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  });
}

function init(options: HostInit): void {
  if (options.allowedRoots) allowedRoots.push(...options.allowedRoots.map((r) => path.resolve(r)));
  jsonResults = options.jsonResults === true;
  engine = createEngine({
    dataDir: options.dataDir,
    samplePath: options.samplePath,
    appVersion: options.appVersion,
    onJobEvent: (event) => post({ type: 'event', event: { type: 'job', event } }),
    allowPath: options.allowedRoots ? isAllowed : undefined,
  });
  for (const m of options.models ?? []) {
    try {
      engine.restoreModel(m.modelId, m.path);
    } catch (err) {
      process.stderr.write(`engine host: could not reopen ${m.path}: ${(err as Error).message}\n`);
    }
  }
  post({ type: 'ready', pid: process.pid });
  syncModels();
}

let lastModels = '';

/** Tells the front end which models are open, so it can reopen them if this process dies. */
function syncModels(): void {
  if (!engine) return;
  const models = engine.openModelPaths();
  const text = JSON.stringify(models);
  if (text === lastModels) return;
  lastModels = text;
  post({ type: 'models', models });
}

async function handle(message: ToHost): Promise<void> {
  if (message.type === 'init') return init(message.init);
  if (message.type === 'allow-root') {
    allowedRoots.push(path.resolve(message.root));
    return;
  }
  if (message.type !== 'call') return;
  const { id } = message;
  try {
    if (!engine) throw new Error('The engine host was not initialised.');
    const parsed = parseRequest(message.method, message.request);
    if (!parsed.ok) {
      post({ type: 'result', id, ok: false, error: { code: parsed.code, message: parsed.message } });
      return;
    }
    const value = await engine.call(parsed.method, parsed.request as RequestOf<typeof parsed.method>);
    syncModels();
    const json = jsonResults ? JSON.stringify(value) : undefined;
    post(json === undefined ? { type: 'result', id, ok: true, value } : { type: 'result', id, ok: true, json });
  } catch (err) {
    syncModels();
    post({ type: 'result', id, ok: false, error: toErrorDto(err) });
  }
}

function onMessage(data: unknown): void {
  void handle(data as ToHost);
}

if (electronPort) electronPort.on('message', (e) => onMessage(e.data));
else process.on('message', onMessage);
process.on('disconnect', () => process.exit(0));
