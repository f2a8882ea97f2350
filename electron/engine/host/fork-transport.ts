/** Runs the engine host as a Node child process (serve mode and long CLI verbs). */
import { fork } from 'node:child_process';
import { childPort } from './process-ports';
import type { HostTransport } from './protocol';

/**
 * Forks the engine host script.
 * @param script - path of the built worker entry (`out/engine/engine-host.cjs`)
 */
export function forkTransport(script: string): HostTransport {
  const child = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
  return {
    ...childPort(child),
    kill: () => {
      child.kill();
    },
    get pid() {
      return child.pid;
    },
  };
}
