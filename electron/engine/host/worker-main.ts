/** Entry of the engine host process: runs a StudioEngine and answers calls from its parent over the RPC channel. */
import * as path from 'node:path';
import { StudioError } from '../../../shared/api/errors';
import type { MethodName, RequestOf } from '../../../shared/api/methods';
import { RpcServer } from '../../../shared/rpc/rpc-server';
import { terminalText } from '../../../shared/security/untrusted-text';
import { createEngine } from '../features';
import type { StudioEngine } from '../studio-engine';
import { parentPort } from './process-ports';
import { HOST, type HostInit } from './protocol';

let engine: StudioEngine | undefined;
let jsonResults = false;
const allowedRoots: string[] = [];

function isAllowed(abs: string): boolean {
  return allowedRoots.some((root) => {
    const rel = path.relative(root, abs);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  });
}

function init(options: HostInit): { pid: number } {
  if (options.allowedRoots) allowedRoots.push(...options.allowedRoots.map((r) => path.resolve(r)));
  jsonResults = options.jsonResults === true;
  engine = createEngine({
    dataDir: options.dataDir,
    samplePath: options.samplePath,
    appVersion: options.appVersion,
    onJobEvent: (event) => server.notify(HOST.studioEvent, { type: 'job', event }),
    allowPath: options.allowedRoots ? isAllowed : undefined,
  });
  for (const m of options.models ?? []) {
    try {
      engine.restoreModel(m.modelId, m.path);
    } catch (err) {
      process.stderr.write(`${terminalText(`engine host: could not reopen ${m.path}: ${(err as Error).message}`)}\n`);
    }
  }
  syncModels();
  return { pid: process.pid };
}

let lastModels = '';

/** Tells the front end which models are open, so it can reopen them if this process dies. */
function syncModels(): void {
  if (!engine) return;
  const models = engine.openModelPaths();
  const text = JSON.stringify(models);
  if (text === lastModels) return;
  lastModels = text;
  server.notify(HOST.models, models);
}

/**
 * Serves one call from the parent.
 * @remarks Requests are not parsed again here: the host trusts its parent, and each request was validated with its
 * zod schema once, where it first crossed a boundary (the server's RPC handler, the Electron IPC handler).
 */
async function handle(method: string, params: unknown): Promise<unknown> {
  if (method === HOST.init) return init(params as HostInit);
  if (!engine) throw new StudioError('INTERNAL', 'The engine host was not initialised.');
  try {
    const value = await engine.call(method as MethodName, params as RequestOf<MethodName>);
    return jsonResults ? JSON.stringify(value) : value;
  } finally {
    // before the result goes out: the front end knows the open models whenever it sees an answer
    syncModels();
  }
}

const server = new RpcServer(parentPort(), handle);
server.onEvent(HOST.allowRoot, (root) => allowedRoots.push(path.resolve(root as string)));
process.on('disconnect', () => process.exit(0));
