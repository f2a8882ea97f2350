/** The front ends' handle on the engine host: forwards calls, relays events, restarts the host after a crash. */
import { StudioError } from '../../../shared/api/errors';
import type { MethodName, RequestOf, ResponseTypes, StudioEvent } from '../../../shared/api/methods';
import type { JobInfo } from '../../../shared/api/jobs';
import { RpcClient } from '../../../shared/rpc/rpc-client';
import { describeExit } from './process-ports';
import { HOST, type HostInit, type HostTransport, type OpenModelRef } from './protocol';

/**
 * Talks to one engine host process at a time; when it dies, pending calls fail with `WORKER_CRASHED` and the next
 * call starts a fresh host.
 * @remarks Requests are not validated here: the front end that received them did (server RPC handler, Electron IPC
 * handler), and callers inside a front end are typed. The host trusts its parent.
 */
export class EngineClient {
  private transport: HostTransport | undefined;
  private rpc: RpcClient | undefined;
  private ready: Promise<RpcClient> | undefined;
  private readonly listeners = new Set<(event: StudioEvent) => void>();
  private readonly extraRoots: string[] = [];
  /** open models as the host last reported them; a restarted host reopens them under the same ids */
  private openModels: OpenModelRef[] = [];
  /** jobs running in the host; they are reported failed when it dies */
  private readonly runningJobs = new Map<string, JobInfo>();
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
    const value = await (await this.ensure()).call(method, request);
    return (this.init.jsonResults ? (value === undefined ? undefined : JSON.parse(value as string)) : value) as ResponseTypes[M];
  }

  /**
   * Calls an engine method and returns its response as JSON text, as the host made it when it was started with
   * `jsonResults` (big responses then cross this process without being decoded and encoded again).
   * @returns the JSON text, or undefined when the method returned nothing
   */
  async callJson<M extends MethodName>(method: M, request: RequestOf<M>): Promise<string | undefined> {
    const value = await (await this.ensure()).call(method, request);
    return this.init.jsonResults ? (value as string | undefined) : JSON.stringify(value);
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
    this.rpc?.notify(HOST.allowRoot, root);
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
    this.rpc = undefined;
    this.ready = undefined;
    t?.kill();
  }

  private ensure(): Promise<RpcClient> {
    if (this.transport && this.ready) return this.ready;
    const transport = this.spawn();
    this.starts++;
    const rpc = new RpcClient(transport, {
      closedError: (call, reason) =>
        new StudioError(
          'WORKER_CRASHED',
          call.method === HOST.init
            ? `The engine process stopped (${describeExit(reason)}) before it was ready.`
            : `The engine process stopped (${describeExit(reason)}) during ${call.method}. The model or its data may have crashed onnxruntime; the engine restarts on the next request.`,
        ),
    });
    this.transport = transport;
    this.rpc = rpc;
    transport.onClose((reason) => {
      if (this.transport === transport) {
        this.transport = undefined;
        this.rpc = undefined;
        this.ready = undefined;
      }
      this.failRunningJobs(describeExit(reason));
    });
    rpc.onEvent(HOST.models, (models) => (this.openModels = models as OpenModelRef[]));
    rpc.onEvent(HOST.studioEvent, (data) => {
      const event = data as StudioEvent;
      const e = event.event;
      if (e.kind === 'started') this.runningJobs.set(e.job.id, e.job);
      else if (e.kind === 'ended') this.runningJobs.delete(e.job.id);
      for (const l of this.listeners) l(event);
    });
    const init: HostInit = { ...this.init, allowedRoots: this.init.allowedRoots ? [...this.init.allowedRoots, ...this.extraRoots] : undefined, models: this.openModels };
    this.ready = rpc.call(HOST.init, init).then(
      () => rpc,
      (err: unknown) => {
        // a host that could not start its engine is stopped; the next call starts another
        if (this.transport === transport) this.dispose();
        throw err;
      },
    );
    return this.ready;
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
}
