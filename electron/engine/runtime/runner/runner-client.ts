/** The engine's handle on the inference runner process: calls, progress, cancel, and a fresh runner after a crash. */
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../../../../shared/api/errors';
import { RpcClient } from '../../../../shared/rpc/rpc-client';
import { appRoot, outDir } from '../../host/app-paths';
import { childPort, describeExit } from '../../host/process-ports';
import { RUNNER_READY, type RunnerCall } from './runner-protocol';

/** How long a cancelled call may take to notice before the runner is stopped (a single long run cannot be interrupted). */
const CANCEL_GRACE_MS = 1500;

/** How a runner call reports progress and is cancelled. */
export interface CallOptions {
  /** what the call does, for messages (`the benchmark of resnet18.onnx`) */
  what: string;
  signal?: AbortSignal;
  onProgress?: (fraction: number, stage: string) => void;
}

/** @returns the built runner script: beside this bundle, or in out/engine of the studio. */
export function runnerScript(): string {
  const env = process.env.DEPLOY_STUDIO_RUNNER_SCRIPT;
  if (env) return env;
  const beside = path.join(__dirname, 'runtime-runner.cjs');
  return fs.existsSync(beside) ? beside : path.join(outDir(appRoot()), 'engine', 'runtime-runner.cjs');
}

/** One runner process and the RPC client over its pipe. */
interface Runner {
  child: ChildProcess;
  rpc: RpcClient;
}

/** Starts the runner on first use and again after it died; one runner per engine. */
export class RunnerClient {
  private runner: Runner | undefined;
  private ready: Promise<Runner> | undefined;
  /** how many runner processes were started */
  starts = 0;

  /**
   * @param script - the built runner script
   * @param sessionCache - sessions the runner keeps at once (enough for every model a job runs alternately)
   */
  constructor(
    private readonly script: string = runnerScript(),
    private readonly sessionCache?: number,
  ) {}

  /** @returns the runner's process id, while one runs. */
  get pid(): number | undefined {
    return this.runner?.child.pid;
  }

  /** @returns true while a call waits for the runner's answer. */
  get busy(): boolean {
    return (this.runner?.rpc.pendingCount ?? 0) > 0;
  }

  /**
   * Sends a call and waits for its result.
   * @throws StudioError `WORKER_CRASHED` when the runner dies during the call, `JOB_CANCELLED` after `signal` aborts,
   * or the runner's own error
   */
  async call<T>(call: RunnerCall, options: CallOptions): Promise<T> {
    if (options.signal?.aborted) throw cancelled(options.what);
    const { child, rpc } = await this.ensure();
    // the runner checks for a cancel between runs; one long run cannot be interrupted, so the process is stopped
    let graceTimer: NodeJS.Timeout | undefined;
    let settled = false;
    const onAbort = () => {
      graceTimer = setTimeout(() => {
        if (!settled && this.runner?.child === child) child.kill('SIGKILL');
      }, CANCEL_GRACE_MS);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await rpc.call<T>(call.op, call, { signal: options.signal, onProgress: options.onProgress, label: options.what });
    } finally {
      settled = true;
      clearTimeout(graceTimer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Stops the runner (its sessions go with it). */
  dispose(): void {
    const child = this.runner?.child;
    this.runner = undefined;
    this.ready = undefined;
    child?.kill();
  }

  private ensure(): Promise<Runner> {
    if (this.ready) return this.ready;
    if (!fs.existsSync(this.script)) {
      return Promise.reject(new StudioError('INTERNAL', `The inference runner is not built (${this.script} is missing): run \`npm run build\`.`));
    }
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (process.versions.electron) env.ELECTRON_RUN_AS_NODE = '1';
    if (this.sessionCache) env.DEPLOY_STUDIO_SESSION_CACHE = String(Math.max(1, this.sessionCache));
    const child = fork(this.script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced', env });
    const rpc = new RpcClient(childPort(child), {
      replyError: (c, error) => (error.code === 'JOB_CANCELLED' ? cancelled(c.label) : StudioError.fromDto(error)),
      closedError: (c, reason) =>
        c.cancelled
          ? cancelled(c.label)
          : new StudioError(
              'WORKER_CRASHED',
              `The inference process stopped (${describeExit(reason)}) during ${c.label}. The model or its inputs may have crashed onnxruntime, ` +
                'or the process was killed; it restarts for the next job, and your open models stay open.',
            ),
    });
    const runner: Runner = { child, rpc };
    this.runner = runner;
    this.starts++;
    this.ready = new Promise<Runner>((resolve, reject) => {
      rpc.onEvent(RUNNER_READY, () => resolve(runner));
      child.once('error', (err) => reject(new StudioError('WORKER_CRASHED', `The inference process could not start: ${err.message}`)));
      child.once('exit', (code, signal) => {
        if (this.runner === runner) {
          this.runner = undefined;
          this.ready = undefined;
        }
        reject(new StudioError('WORKER_CRASHED', `The inference process stopped (${describeExit({ code, signal })}) while starting.`));
      });
    });
    return this.ready;
  }
}

function cancelled(what: string): StudioError {
  return new StudioError('JOB_CANCELLED', `${what.charAt(0).toUpperCase()}${what.slice(1)} was cancelled.`);
}
