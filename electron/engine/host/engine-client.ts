/** The front ends' handle on the engine host: forwards calls, relays events, restarts the host after a crash. */
import { StudioError } from '../../../shared/api/errors';
import type { MethodName, RequestOf, ResponseTypes, StudioEvent } from '../../../shared/api/methods';
import type { JobInfo } from '../../../shared/api/jobs';
import type { FromHost, HostInit, HostTransport, OpenModelRef } from './protocol';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: StudioError) => void;
  method: string;
  /** resolve with the JSON text of the value (see {@link EngineClient.callJson}) */
  text?: boolean;
}

/**
 * Talks to one engine host process at a time; when it dies, pending calls fail with `WORKER_CRASHED` and the next
 * call starts a fresh host.
 */
export class EngineClient {
  private transport: HostTransport | undefined;
  private ready: Promise<void> | undefined;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: StudioEvent) => void>();
  private readonly extraRoots: string[] = [];
  /** open models as the host last reported them; a restarted host reopens them under the same ids */
  private openModels: OpenModelRef[] = [];
  /** jobs running in the host; they are reported failed when it dies */
  private readonly runningJobs = new Map<string, JobInfo>();
  private nextId = 1;
  /** how many times the host process has been (re)started */
  starts = 0;

  constructor(
    private readonly spawn: () => HostTransport,
    private readonly init: HostInit,
  ) {}

  /**
   * Calls an engine method in the host process.
   * @returns the method's response; rejects with the engine's StudioError
   */
  async call<M extends MethodName>(method: M, request: RequestOf<M>): Promise<ResponseTypes[M]> {
    return (await this.send(method, request, false)) as ResponseTypes[M];
  }

  /**
   * Calls an engine method and returns its response as JSON text, as the host made it when it was started with
   * `jsonResults` (big responses then cross this process without being decoded and encoded again).
   * @returns the JSON text, or undefined when the method returned nothing
   */
  async callJson<M extends MethodName>(method: M, request: RequestOf<M>): Promise<string | undefined> {
    return (await this.send(method, request, true)) as string | undefined;
  }

  private async send(method: MethodName, request: unknown, text: boolean): Promise<unknown> {
    const transport = await this.ensure();
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method, text });
      transport.send({ type: 'call', id, method, request });
    });
  }

  /**
   * Starts the host process now rather than at the first call, so its start-up (Node, onnxruntime, the engine's
   * modules: a few hundred ms) overlaps with the front end's own. A failed start is retried by the next call.
   */
  start(): void {
    this.ensure().catch(() => undefined);
  }

  /** Lets the host open files under a folder (serve mode confines file access). */
  allowRoot(root: string): void {
    this.extraRoots.push(root);
    this.transport?.send({ type: 'allow-root', root });
  }

  /** @returns the function that unsubscribes. */
  onEvent(listener: (event: StudioEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** @returns the host's process id, when one runs. */
  get pid(): number | undefined {
    return this.transport?.pid;
  }

  /** Stops the host process. */
  dispose(): void {
    const t = this.transport;
    this.transport = undefined;
    this.ready = undefined;
    t?.kill();
  }

  private ensure(): Promise<HostTransport> {
    if (this.transport && this.ready) {
      const t = this.transport;
      return this.ready.then(() => t);
    }
    const transport = this.spawn();
    this.starts++;
    this.transport = transport;
    this.ready = new Promise<void>((resolve, reject) => {
      transport.onMessage((msg) => {
        if (msg.type === 'ready') resolve();
        else this.receive(msg);
      });
      transport.onExit((code, signal) => {
        if (this.transport === transport) {
          this.transport = undefined;
          this.ready = undefined;
        }
        const why = signal ? `signal ${signal}` : `exit code ${code}`;
        reject(new StudioError('WORKER_CRASHED', `The engine process stopped (${why}) before it was ready.`));
        this.failRunningJobs(why);
        for (const [id, p] of this.pending) {
          this.pending.delete(id);
          p.reject(
            new StudioError(
              'WORKER_CRASHED',
              `The engine process stopped (${why}) during ${p.method}. The model or its data may have crashed onnxruntime; the engine restarts on the next request.`,
            ),
          );
        }
      });
    });
    transport.send({
      type: 'init',
      init: { ...this.init, allowedRoots: this.init.allowedRoots ? [...this.init.allowedRoots, ...this.extraRoots] : undefined, models: this.openModels },
    });
    return this.ready.then(() => transport);
  }

  /** Reports every job of a dead host as failed, so no front end waits on it. */
  private failRunningJobs(why: string): void {
    const endedAt = new Date().toISOString();
    for (const job of this.runningJobs.values()) {
      const error = { code: 'WORKER_CRASHED' as const, message: `The engine process stopped (${why}) during this job. It restarts on the next request; open models are reopened.` };
      const event: StudioEvent = { type: 'job', event: { kind: 'ended', job: { ...job, state: 'failed', stage: 'failed', error, endedAt } } };
      for (const l of this.listeners) l(event);
    }
    this.runningJobs.clear();
  }

  private receive(msg: FromHost): void {
    if (msg.type === 'models') {
      this.openModels = msg.models;
      return;
    }
    if (msg.type === 'event') {
      const e = msg.event.event;
      if (e.kind === 'started') this.runningJobs.set(e.job.id, e.job);
      else if (e.kind === 'ended') this.runningJobs.delete(e.job.id);
      for (const l of this.listeners) l(msg.event);
      return;
    }
    if (msg.type !== 'result') return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (!msg.ok) p.reject(new StudioError(msg.error.code, msg.error.message));
    else if ('json' in msg) p.resolve(p.text ? msg.json : JSON.parse(msg.json));
    else p.resolve(p.text ? JSON.stringify(msg.value) : msg.value);
  }
}
