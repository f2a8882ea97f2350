/** Runs the engine host in an Electron utilityProcess, so a native crash never takes the app down. */
import { utilityProcess } from 'electron';
import type { FromHost, HostTransport, ToHost } from '../engine/host/protocol';

/**
 * Starts the engine host script in a utility process.
 * @param script - path of the built worker entry (`out/engine/engine-host.cjs`)
 */
export function utilityTransport(script: string): HostTransport {
  const child = utilityProcess.fork(script, [], { serviceName: 'Deploy Studio engine', stdio: 'inherit' });
  let exited = false;
  return {
    send: (message: ToHost) => {
      if (!exited) child.postMessage(message);
    },
    onMessage: (listener) => child.on('message', (m: unknown) => listener(m as FromHost)),
    onExit: (listener) =>
      child.once('exit', (code: number) => {
        exited = true;
        listener(code, null);
      }),
    kill: () => {
      child.kill();
    },
    get pid() {
      return child.pid;
    },
  };
}
