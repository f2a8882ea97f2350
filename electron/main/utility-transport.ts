/** Runs the engine host in an Electron utilityProcess, so a native crash never takes the app down. */
import { utilityProcess } from 'electron';
import type { HostTransport } from '../engine/host/protocol';

/**
 * Starts the engine host script in a utility process.
 * @param script - path of the built worker entry (`out/engine/engine-host.cjs`)
 */
export function utilityTransport(script: string): HostTransport {
  const child = utilityProcess.fork(script, [], { serviceName: 'Deploy Studio engine', stdio: 'inherit' });
  let exited = false;
  return {
    send: (message) => {
      if (!exited) child.postMessage(message);
    },
    onMessage: (listener) => child.on('message', (m: unknown) => listener(m)),
    onClose: (listener) =>
      child.once('exit', (code: number) => {
        exited = true;
        listener({ code, signal: null });
      }),
    kill: () => {
      child.kill();
    },
    get pid() {
      return child.pid;
    },
  };
}
