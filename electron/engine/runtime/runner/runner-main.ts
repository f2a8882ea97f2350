/** Entry of the inference runner process: owns onnxruntime sessions; a native crash here never takes the engine down. */
import { cancelledError, RpcServer } from '../../../../shared/rpc/rpc-server';
import { parentPort } from '../../host/process-ports';
import { OrtBackend } from '../ort-backend-impl';
import { SessionCache } from '../session-cache';
import { serveCall } from './runner-ops';
import { RUNNER_READY, type RunnerCall, type RunnerReady, type RunnerStats } from './runner-protocol';

const backend = new OrtBackend();
const cache = new SessionCache(backend, Number(process.env.DEPLOY_STUDIO_SESSION_CACHE) || 4);
/** the call being served; calls run one at a time, in the order they came */
let queue: Promise<unknown> = Promise.resolve();

function inTurn<T>(work: () => Promise<T>): Promise<T> {
  const turn = queue.then(work);
  queue = turn.catch(() => undefined);
  return turn;
}

const server = new RpcServer(parentPort(), (_method, params, ctx) => {
  const call = params as RunnerCall;
  // answered at once, even while another call runs
  if (call.op === 'stats') return { pid: process.pid, rssBytes: process.memoryUsage.rss(), sessions: cache.size } satisfies RunnerStats;
  const checkCancelled = () => {
    if (ctx.signal.aborted) throw cancelledError('The run was cancelled.');
  };
  return inTurn(async () => {
    checkCancelled();
    return serveCall(cache, call, { progress: ctx.progress, checkCancelled });
  });
});
process.on('disconnect', () => process.exit(0));
// the engine went away mid-send (it was killed): nothing is left to report to
process.on('error', () => process.exit(0));
server.notify(RUNNER_READY, { pid: process.pid, backend: backend.name, version: backend.version } satisfies RunnerReady);
