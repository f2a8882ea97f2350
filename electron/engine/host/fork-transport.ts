/** Runs the engine host as a Node child process (serve mode and long CLI verbs). */
import { fork } from 'node:child_process';
import type { FromHost, HostTransport, ToHost } from './protocol';

/**
 * Forks the engine host script.
 * @param script - path of the built worker entry (`out/engine/engine-host.cjs`)
 */
export function forkTransport(script: string): HostTransport {
  const child = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
  return {
    send: (message: ToHost) => {
      if (child.connected) child.send(message);
    },
    onMessage: (listener) => child.on('message', (m) => listener(m as FromHost)),
    onExit: (listener) => child.once('exit', (code, signal) => listener(code, signal)),
    kill: () => {
      child.kill();
    },
    get pid() {
      return child.pid;
    },
  };
}
