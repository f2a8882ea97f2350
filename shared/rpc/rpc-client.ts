/** The calling side of an RPC port: ids, pending calls, progress, cancellation, and failure of every call when the port closes. */
import { isErrorDto, StudioError, type StudioErrorDto } from '../api/errors';
import { messageType, type Port, type RpcEvent, type RpcProgress, type RpcResult } from './messages';

/** How one call reports progress and is cancelled. */
export interface RpcCallOptions {
  /** aborting sends a cancel; the call still waits for its result (or for the port to close) */
  signal?: AbortSignal;
  onProgress?: (fraction: number, stage: string) => void;
  /** what the call does, for the messages of {@link RpcClientOptions} (`the benchmark of resnet18.onnx`) */
  label?: string;
}

/** A call as the error hooks see it. */
export interface RpcCallInfo {
  id: number;
  method: string;
  /** the call's label, or its method name */
  label: string;
  /** true once the call's signal aborted */
  cancelled: boolean;
}

/** How a client shapes the errors its calls reject with. */
export interface RpcClientOptions {
  /**
   * The error of a call still pending when the port closes (or of a call made after it closed).
   * @param reason - what the port reported (an exit code and signal, a close code)
   */
  closedError?: (call: RpcCallInfo, reason: unknown) => Error;
  /** The error of a call answered with an error (also of a call whose signal had aborted before it was sent). */
  replyError?: (call: RpcCallInfo, error: StudioErrorDto) => Error;
}

interface Pending {
  info: RpcCallInfo;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  onProgress?: (fraction: number, stage: string) => void;
}

const CANCELLED: StudioErrorDto = { code: 'JOB_CANCELLED', message: 'The call was cancelled.' };

/** Calls methods on the other side of one port; make a new client for a new port (a restarted process). */
export class RpcClient {
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<(data: unknown) => void>>();
  private nextId = 1;
  private closed: { reason: unknown } | undefined;

  constructor(
    private readonly port: Port,
    private readonly options: RpcClientOptions = {},
  ) {
    port.onMessage((message) => this.receive(message));
    port.onClose((reason) => this.close(reason));
  }

  /** @returns how many calls wait for their result. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** @returns true once the port closed. */
  get isClosed(): boolean {
    return this.closed !== undefined;
  }

  /**
   * Calls a method on the other side.
   * @param params - the method's one argument (sent as it is: the port serializes it)
   * @returns the call's value; rejects with the shaped reply error, or the closed error when the port closes first
   */
  call<T = unknown>(method: string, params: unknown, options: RpcCallOptions = {}): Promise<T> {
    const id = this.nextId++;
    const info: RpcCallInfo = { id, method, label: options.label ?? method, cancelled: false };
    if (this.closed) return Promise.reject(this.closedError(info, this.closed.reason));
    const { signal } = options;
    if (signal?.aborted) {
      info.cancelled = true;
      return Promise.reject(this.replyError(info, CANCELLED));
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        if (!this.pending.has(id) || info.cancelled) return;
        info.cancelled = true;
        this.port.send({ type: 'cancel', id });
      };
      const settle = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        info,
        resolve: (value) => {
          settle();
          resolve(value as T);
        },
        reject: (err) => {
          settle();
          reject(err);
        },
        onProgress: options.onProgress,
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.port.send({ type: 'call', id, method, params });
    });
  }

  /** Sends a one-way event (nothing answers it). */
  notify(topic: string, data: unknown): void {
    if (!this.closed) this.port.send({ type: 'event', topic, data });
  }

  /**
   * Listens to the other side's events on one topic.
   * @returns the function that unsubscribes
   */
  onEvent(topic: string, listener: (data: unknown) => void): () => void {
    let set = this.listeners.get(topic);
    if (!set) this.listeners.set(topic, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /**
   * Fails every pending call with the closed error, as when the port closes; later calls fail the same way.
   * @param reason - passed to `closedError` (an adapter that ended its peer itself says why)
   */
  close(reason: unknown): void {
    if (this.closed) return;
    this.closed = { reason };
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(this.closedError(p.info, reason));
    }
  }

  private receive(message: unknown): void {
    const type = messageType(message);
    if (type === 'event') {
      const { topic, data } = message as RpcEvent;
      for (const l of this.listeners.get(topic) ?? []) l(data);
      return;
    }
    if (type !== 'result' && type !== 'progress') return;
    const p = this.pending.get((message as { id: number }).id);
    if (!p) return;
    if (type === 'progress') {
      const { fraction, stage } = message as RpcProgress;
      p.onProgress?.(fraction, stage);
      return;
    }
    const result = message as RpcResult;
    this.pending.delete(p.info.id);
    if (result.ok) p.resolve(result.value);
    else p.reject(this.replyError(p.info, isErrorDto(result.error) ? result.error : { code: 'INTERNAL', message: 'Malformed reply.' }));
  }

  private closedError(info: RpcCallInfo, reason: unknown): Error {
    return this.options.closedError?.(info, reason) ?? new StudioError('WORKER_CRASHED', `The connection closed during ${info.label}.`);
  }

  private replyError(info: RpcCallInfo, error: StudioErrorDto): Error {
    return this.options.replyError?.(info, error) ?? StudioError.fromDto(error);
  }
}
