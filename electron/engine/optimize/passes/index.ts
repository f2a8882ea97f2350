/** The built-in passes (one file per pass); each new pass adds one line here. */
import { registerPass } from '../pass';
import { graphOptimizePass } from './graph-optimize';

let registered = false;

/** Registers every built-in pass once. */
export function registerBuiltinPasses(): void {
  if (registered) return;
  registered = true;
  registerPass(graphOptimizePass);
}
