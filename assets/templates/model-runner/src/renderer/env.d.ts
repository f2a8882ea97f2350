/** The preload's bridge on window (see src/preload/preload.ts). */
import type { RunnerBridge } from '../shared/bridge';

declare global {
  interface Window {
    runner?: RunnerBridge;
  }
}

export {};
