/** The engine's handle on the inference runner process: calls, progress, cancel, and a fresh runner after a crash. */
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../../../../shared/api/errors';
import { appRoot, outDir } from '../../host/app-paths';
import type { FromRunner, RunnerCall, ToRunner } from './runner-protocol';

/** How long a cancelled call may take to notice before the runner is stopped (a single long run cannot be interrupted). */
const CANCEL_GRACE_MS = 1500;

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: StudioError) => void;
  what: string;
  onProgress?: (fraction: number, stage: string) => void;
  cancelTimer?: NodeJS.Timeout;
  cancelled: boolean;
  child: ChildProcess;
}

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

/** Starts the runner on first use and again after it died; one runner per engine. */
export class RunnerClient {
  private child: ChildProcess | undefined;
  private ready: Promise<ChildProcess> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
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
    return this.child?.pid;
  }

  /** @returns true while a call waits for the runner's answer. */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  /**
   * Sends a call and waits for its result.
   * @throws StudioError `WORKER_CRASHED` when the runner dies during the call, `JOB_CANCELLED` after `signal` aborts,
   * or the runner's own error
   */
  async call<T>(call: RunnerCall, options: CallOptions): Promise<T> {
    if (options.signal?.aborted) throw new StudioError('JOB_CANCELLED', `${capital(options.what)} was cancelled.`);
    const child = await this.ensure();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const p: Pending = { resolve: resolve as (v: unknown) => void, reject, what: options.what, onProgress: options.onProgress, cancelled: false, child };
      this.pending.set(id, p);
      const onAbort = () => this.cancel(id, child);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => options.signal?.removeEventListener('abort', onAbort);
      p.resolve = (v) => {
        done();
        resolve(v as T);
      };
      p.reject = (e) => {
        done();
        reject(e);
      };
      this.send(child, { type: 'call', id, call });
    });
  }

  /** Stops the runner (its sessions go with it). */
  dispose(): void {
    const child = this.child;
    this.child = undefined;
    this.ready = undefined;
    child?.kill();
  }

  private cancel(id: number, child: ChildProcess): void {
    const p = this.pending.get(id);
    if (!p) return;
    p.cancelled = true;
    this.send(child, { type: 'cancel', id });
    p.cancelTimer = setTimeout(() => {
      if (this.pending.has(id) && this.child === child) child.kill('SIGKILL');
    }, CANCEL_GRACE_MS);
  }

  private send(child: ChildProcess, message: ToRunner): void {
    if (child.connected) child.send(message);
  }

  private ensure(): Promise<ChildProcess> {
    if (this.ready) return this.ready;
    if (!fs.existsSync(this.script)) {
      return Promise.reject(new StudioError('INTERNAL', `The inference runner is not built (${this.script} is missing): run \`npm run build\`.`));
    }
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (process.versions.electron) env.ELECTRON_RUN_AS_NODE = '1';
    if (this.sessionCache) env.DEPLOY_STUDIO_SESSION_CACHE = String(Math.max(1, this.sessionCache));
    const child = fork(this.script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced', env });
    this.child = child;
    this.starts++;
    this.ready = new Promise<ChildProcess>((resolve, reject) => {
      child.on('message', (raw) => {
        const msg = raw as FromRunner;
        if (msg.type === 'ready') resolve(child);
        else this.receive(msg);
      });
      child.once('error', (err) => reject(new StudioError('WORKER_CRASHED', `The inference process could not start: ${err.message}`)));
      child.once('exit', (code, signal) => {
        if (this.child === child) {
          this.child = undefined;
          this.ready = undefined;
        }
        const why = signal ? `signal ${signal}` : `exit code ${code}`;
        reject(new StudioError('WORKER_CRASHED', `The inference process stopped (${why}) while starting.`));
        this.failAll(child, why);
      });
    });
    return this.ready;
  }

  private failAll(child: ChildProcess, why: string): void {
    for (const [id, p] of this.pending) {
      if (p.child !== child) continue;
      this.pending.delete(id);
      if (p.cancelTimer) clearTimeout(p.cancelTimer);
      if (p.cancelled) p.reject(new StudioError('JOB_CANCELLED', `${capital(p.what)} was cancelled.`));
      else {
        p.reject(
          new StudioError(
            'WORKER_CRASHED',
            `The inference process stopped (${why}) during ${p.what}. The model or its inputs may have crashed onnxruntime, ` +
              'or the process was killed; it restarts for the next job, and your open models stay open.',
          ),
        );
      }
    }
  }

  private receive(msg: FromRunner): void {
    if (msg.type === 'ready') return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'progress') {
      p.onProgress?.(msg.fraction, msg.stage);
      return;
    }
    this.pending.delete(msg.id);
    if (p.cancelTimer) clearTimeout(p.cancelTimer);
    if (msg.ok) p.resolve(msg.value);
    else if (msg.error.code === 'JOB_CANCELLED') p.reject(new StudioError('JOB_CANCELLED', `${capital(p.what)} was cancelled.`));
    else p.reject(new StudioError(msg.error.code, msg.error.message));
  }
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
