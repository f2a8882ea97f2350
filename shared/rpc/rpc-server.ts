/** The answering side of an RPC port: dispatches calls to a handler with a signal and a progress callback, sends the envelope back. */
import { StudioError, toErrorDto } from '../api/errors';
import { messageType, type Port, type RpcCall, type RpcEvent } from './messages';

/** What a handler gets besides the method and its params. */
export interface RpcCallContext {
  id: number;
  /** aborts when the caller cancels the call or the port closes */
  signal: AbortSignal;
  /** reports progress to the caller (dropped once the call has ended) */
  progress(fraction: number, stage: string): void;
}

/**
 * Serves one call.
 * @returns the call's value (or a promise of it); a throw becomes the error reply (a StudioError keeps its code)
 */
export type RpcHandler = (method: string, params: unknown, context: RpcCallContext) => unknown;

/** Answers the calls that arrive on one port. */
export class RpcServer {
  private readonly running = new Map<number, AbortController>();
  private readonly listeners = new Map<string, Set<(data: unknown) => void>>();

  constructor(
    private readonly port: Port,
    private readonly handler: RpcHandler,
  ) {
    port.onMessage((message) => this.receive(message));
    port.onClose(() => {
      for (const c of this.running.values()) c.abort();
      this.running.clear();
    });
  }

  /** Sends a one-way event to the caller's side. */
  notify(topic: string, data: unknown): void {
    this.port.send({ type: 'event', topic, data });
  }

  /**
   * Listens to the caller's events on one topic.
   * @returns the function that unsubscribes
   */
  onEvent(topic: string, listener: (data: unknown) => void): () => void {
    let set = this.listeners.get(topic);
    if (!set) this.listeners.set(topic, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  private receive(message: unknown): void {
    const type = messageType(message);
    const id = (message as { id?: unknown } | null)?.id;
    if (type === 'cancel') {
      if (typeof id === 'number') this.running.get(id)?.abort();
      return;
    }
    if (type === 'event') {
      const { topic, data } = message as RpcEvent;
      for (const l of this.listeners.get(topic) ?? []) l(data);
      return;
    }
    if (type === 'call' && typeof id === 'number' && typeof (message as RpcCall).method === 'string') {
      void this.serve(message as RpcCall);
      return;
    }
    const error = { code: 'INVALID_REQUEST' as const, message: 'Malformed RPC message: expected {type: "call", id, method, params}.' };
    this.port.send({ type: 'result', id: typeof id === 'number' ? id : null, ok: false, error });
  }

  private async serve(call: RpcCall): Promise<void> {
    const { id } = call;
    const controller = new AbortController();
    this.running.set(id, controller);
    const context: RpcCallContext = {
      id,
      signal: controller.signal,
      progress: (fraction, stage) => {
        if (this.running.get(id) === controller) this.port.send({ type: 'progress', id, fraction, stage });
      },
    };
    try {
      const value: unknown = await this.handler(call.method, call.params, context);
      this.end(id, controller);
      this.port.send({ type: 'result', id, ok: true, value });
    } catch (err) {
      this.end(id, controller);
      this.port.send({ type: 'result', id, ok: false, error: toErrorDto(err) });
    }
  }

  private end(id: number, controller: AbortController): void {
    if (this.running.get(id) === controller) this.running.delete(id);
  }
}

/** @returns the error a handler throws when its call was cancelled (`JOB_CANCELLED`). */
export function cancelledError(message = 'The call was cancelled.'): StudioError {
  return new StudioError('JOB_CANCELLED', message);
}
