/** RPC messages as JSON text, for ports that carry strings (the WebSocket). */
import type { RpcMessage } from './messages';

/**
 * A value that is already JSON text: a result carrying it is written without decoding and encoding it again (graph
 * chunks are megabytes). `undefined` stands for a method that returned nothing.
 */
export class JsonText {
  constructor(readonly text: string | undefined) {}
}

/** @returns the message as JSON text, splicing a {@link JsonText} result value in as it is. */
export function encodeJson(message: RpcMessage): string {
  if (message.type === 'result' && message.ok && message.value instanceof JsonText) {
    const { text } = message.value;
    return `{"type":"result","id":${JSON.stringify(message.id)},"ok":true${text === undefined ? '' : `,"value":${text}`}}`;
  }
  return JSON.stringify(message);
}

/** @returns the message parsed from JSON text, or undefined when it is not JSON (the receiver then refuses it). */
export function decodeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
