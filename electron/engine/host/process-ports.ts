/** RPC ports over Node processes: the parent's end of a forked child, and a child's end towards its parent. */
import type { ChildProcess } from 'node:child_process';
import type { Port, RpcMessage } from '../../../shared/rpc/messages';

/** Why a child process ended, as its port reports it when it closes. */
export interface ProcessExit {
  code: number | null;
  signal: string | null;
}

/** @returns `signal SIGKILL` or `exit code 1`, for messages. */
export function describeExit(reason: unknown): string {
  const exit = reason as Partial<ProcessExit> | undefined;
  return exit?.signal ? `signal ${exit.signal}` : `exit code ${exit?.code ?? null}`;
}

/**
 * The parent's end of a `child_process.fork` channel; it closes when the child exits, with a {@link ProcessExit}.
 * @param child - a child forked with an IPC channel (`serialization: 'advanced'` lets typed arrays cross as they are)
 */
export function childPort(child: ChildProcess): Port {
  return {
    send: (message) => {
      if (child.connected) child.send(message);
    },
    onMessage: (listener) => child.on('message', listener),
    onClose: (listener) => child.once('exit', (code, signal) => listener({ code, signal } satisfies ProcessExit)),
  };
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

/**
 * This process's end of the channel to its parent: Electron's `parentPort` in a utility process, else Node's IPC.
 * @remarks It never reports a close: a child exits when its parent goes (see the entry scripts).
 */
export function parentPort(): Port {
  const electron = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (electron) {
    return {
      send: (message: RpcMessage) => electron.postMessage(message),
      onMessage: (listener) => electron.on('message', (e) => listener(e.data)),
      onClose: () => undefined,
    };
  }
  return {
    send: (message: RpcMessage) => {
      if (process.connected) process.send?.(message);
    },
    onMessage: (listener) => process.on('message', listener),
    onClose: () => undefined,
  };
}
