/** The one RPC channel (design.md, "Inside the engine"): message types, a client, a server, a JSON codec. */
export type { Port, RpcCall, RpcCancel, RpcEvent, RpcMessage, RpcProgress, RpcResult } from './messages';
export { RpcClient, type RpcCallInfo, type RpcCallOptions, type RpcClientOptions } from './rpc-client';
export { cancelledError, RpcServer, type RpcCallContext, type RpcHandler } from './rpc-server';
export { decodeJson, encodeJson, JsonText } from './json-codec';
