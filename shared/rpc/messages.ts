/** The one RPC message format: the WebSocket, the engine host pipe, the inference process pipe and the layout worker. */
import type { StudioErrorDto } from '../api/errors';

/** Asks the other side to run `method`; answered by exactly one {@link RpcResult} with the same id. */
export interface RpcCall {
  type: 'call';
  id: number;
  method: string;
  params: unknown;
}

/**
 * The answer to a call: its value, or an error a user can act on.
 * @remarks `id` is null when the message answered could not be read as a call.
 */
export type RpcResult = { type: 'result'; id: number | null; ok: true; value: unknown } | { type: 'result'; id: number | null; ok: false; error: StudioErrorDto };

/** How far a running call is (0..1) and what it is doing. */
export interface RpcProgress {
  type: 'progress';
  id: number;
  fraction: number;
  stage: string;
}

/** Asks the other side to stop a running call; the call still ends with its result (often `JOB_CANCELLED`). */
export interface RpcCancel {
  type: 'cancel';
  id: number;
}

/** A one-way message on a topic (job events, a worker's readiness, data loaded ahead of a call); never answered. */
export interface RpcEvent {
  type: 'event';
  topic: string;
  data: unknown;
}

export type RpcMessage = RpcCall | RpcResult | RpcProgress | RpcCancel | RpcEvent;

/**
 * A channel to one peer: a WebSocket, a child process, a web worker. The RPC classes never see more than this.
 * @remarks `onMessage` delivers what arrived as is (the receiver checks it); `onClose` fires at most once, with
 * whatever the adapter knows about why (an exit code and signal, a socket close code).
 */
export interface Port {
  send(message: RpcMessage): void;
  onMessage(listener: (message: unknown) => void): void;
  onClose(listener: (reason: unknown) => void): void;
}

/** @returns the message's `type` when it is an object with a string `type`, else undefined. */
export function messageType(message: unknown): string | undefined {
  return typeof message === 'object' && message !== null && typeof (message as { type?: unknown }).type === 'string' ? (message as { type: string }).type : undefined;
}
