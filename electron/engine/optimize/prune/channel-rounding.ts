/** The channel multiple channel pruning rounds kept counts to: the options' `roundTo`, else the target's (the host's by default). */
import type { ChannelRoundingDto } from '../../../../shared/prune/prune-report';
import { channelMultipleOf, channelMultiplesFromIsa, pruneMultiple } from '../../../../shared/targets/channel-multiple';
import { detectCpu } from '../../runtime/cpu-info';
import { HOST_PROFILE_ID } from '../../targets/profile-store';
import type { ProfileSource } from '../pass';
import type { Prepared } from './channel-prune';
import type { Plan } from './plan';

/** The multiple chosen, before the plan says which layers it changed. */
export type RoundingChoice = Omit<ChannelRoundingDto, 'changes' | 'changedLayers'>;

/** Layers listed in a report's `changes`. */
const MAX_CHANGES = 20;

/**
 * Chooses the multiple.
 * @param roundTo - the options' value (undefined: the target's multiple)
 * @param targetId - the target profile (undefined: this host's profile)
 * @throws StudioError `INVALID_REQUEST` for an unknown target id
 */
export async function chooseRounding(profiles: ProfileSource, targetId: string | undefined, roundTo: number | undefined): Promise<RoundingChoice> {
  const target = targetId ?? HOST_PROFILE_ID;
  if (roundTo !== undefined) {
    return { multiple: roundTo, from: 'user', target, isa: '', source: roundTo === 1 ? 'rounding turned off in the options (round-to 1)' : `set in the options (round-to ${roundTo})` };
  }
  try {
    const { profile } = await profiles.get(target);
    const m = channelMultipleOf(profile);
    return { multiple: m.multiple, from: m.from, target, isa: m.isa, source: m.source };
  } catch (err) {
    if (targetId) throw err;
    // no host profile (a bare profile source): this CPU's ISA still gives a block
    const isa = channelMultiplesFromIsa({ simd: detectCpu().simd });
    const multiple = pruneMultiple(isa, { supported: ['fp32', 'int8'], preferred: 'fp32' });
    return { multiple, from: 'isa', target, isa: isa.isa, source: `from this host's ISA (${isa.isa}): fp32 ${isa.fp32}, ${isa.reasons.fp32}; int8 ${isa.int8}, ${isa.reasons.int8}` };
  }
}

/** @returns kept output channels per prunable layer under a plan. */
function keptBySource(p: Prepared, plan: Plan): Map<string, number> {
  const { cg } = p.analysis;
  const out = new Map<string, number>();
  for (const s of cg.sources) {
    if (s.kind === 'fixed') continue;
    let kept = 0;
    for (let id = s.first; id < s.first + s.channels; id++) if (!plan.removed[cg.uf.find(id)]) kept++;
    out.set(s.name, kept);
  }
  return out;
}

/**
 * Compares the rounded plan with the plan the ratio alone makes.
 * @param unrounded - the same plan with no rounding (undefined when the multiple is 1)
 * @returns the report's rounding block, and the unrounded count per changed layer
 */
export function roundingReport(p: Prepared, choice: RoundingChoice, plan: Plan, unrounded: Plan | undefined): { rounding: ChannelRoundingDto; unroundedOf: Map<string, number> } {
  const unroundedOf = new Map<string, number>();
  if (unrounded) {
    const rounded = keptBySource(p, plan);
    for (const [node, kept] of keptBySource(p, unrounded)) if (rounded.get(node) !== kept) unroundedOf.set(node, kept);
    const changes = [...unroundedOf].slice(0, MAX_CHANGES).map(([node, n]) => ({ node, unrounded: n, kept: rounded.get(node) ?? n }));
    return { rounding: { ...choice, changes, changedLayers: unroundedOf.size }, unroundedOf };
  }
  return { rounding: { ...choice, changes: [], changedLayers: 0 }, unroundedOf };
}
