/** Entry of the inference runner process: owns onnxruntime sessions; a native crash here never takes the engine down. */
import { StudioError, toErrorDto } from '../../../../shared/api/errors';
import { OrtBackend } from '../ort-backend-impl';
import { SessionCache } from '../session-cache';
import { serveCall } from './runner-ops';
import type { FromRunner, RunnerCall, ToRunner } from './runner-protocol';

const backend = new OrtBackend();
const cache = new SessionCache(backend, Number(process.env.DEPLOY_STUDIO_SESSION_CACHE) || 4);
const cancelled = new Set<number>();
const queue: Array<{ id: number; call: RunnerCall }> = [];
let busy = false;

function post(message: FromRunner): void {
  if (process.connected) process.send?.(message);
}

async function drain(): Promise<void> {
  if (busy) return;
  busy = true;
  while (queue.length) {
    const { id, call } = queue.shift() as { id: number; call: RunnerCall };
    try {
      if (cancelled.has(id)) throw new StudioError('JOB_CANCELLED', 'The run was cancelled.');
      const value = await serveCall(cache, call, {
        progress: (fraction, stage) => post({ type: 'progress', id, fraction, stage }),
        checkCancelled: () => {
          if (cancelled.has(id)) throw new StudioError('JOB_CANCELLED', 'The run was cancelled.');
        },
      });
      post({ type: 'result', id, ok: true, value });
    } catch (err) {
      post({ type: 'result', id, ok: false, error: toErrorDto(err) });
    } finally {
      cancelled.delete(id);
    }
  }
  busy = false;
}

process.on('message', (raw: unknown) => {
  const msg = raw as ToRunner;
  if (msg.type === 'cancel') {
    cancelled.add(msg.id);
    return;
  }
  if (msg.type !== 'call') return;
  if (msg.call.op === 'stats') {
    post({ type: 'result', id: msg.id, ok: true, value: { pid: process.pid, rssBytes: process.memoryUsage.rss(), sessions: cache.size } });
    return;
  }
  queue.push({ id: msg.id, call: msg.call });
  void drain();
});
process.on('disconnect', () => process.exit(0));
// the engine went away mid-send (it was killed): nothing is left to report to
process.on('error', () => process.exit(0));
post({ type: 'ready', pid: process.pid, backend: backend.name, version: backend.version });
