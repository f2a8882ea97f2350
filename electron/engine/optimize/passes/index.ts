/** The built-in passes (one file per pass); each new pass adds one line here. */
import { registerPass } from '../pass';
import { graphOptimizePass } from './graph-optimize';
import { pruneChannelsPass } from './prune-channels';
import { pruneMagnitudePass } from './prune-magnitude';
import { quantizeStaticPass } from './quantize-static';
import { quantizeDynamicPass } from './quantize-dynamic';
import { convertFp16Pass } from './convert-fp16';
import { convertOpsetPass } from './convert-opset';
import { distillPass } from './distill';

let registered = false;

/** Registers every built-in pass once. */
export function registerBuiltinPasses(): void {
  if (registered) return;
  registered = true;
  registerPass(graphOptimizePass);
  registerPass(pruneChannelsPass);
  registerPass(pruneMagnitudePass);
  registerPass(quantizeStaticPass);
  registerPass(quantizeDynamicPass);
  registerPass(convertFp16Pass);
  registerPass(convertOpsetPass);
  registerPass(distillPass);
}
