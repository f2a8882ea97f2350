/** The session settings a latency was measured with, shown the same way beside every figure (one label, one tooltip). */
import { Icon, Tag, Tooltip } from '@blueprintjs/core';
import { noiseNote } from '../../../shared/evaluate/compare-format';
import { settingsLabel, type ResolvedSessionOptions } from '../../../shared/api/runtime-dto';


/**
 * The settings label (`2 threads, cpu, optimization all, target raspberry-pi-5`), with where the thread count came from.
 * @param options - the resolved settings the engine reported with the figure
 */
export function SessionSettings({ options }: { options: ResolvedSessionOptions }) {
  const label = settingsLabel(options);
  return (
    <Tooltip content={options.origin ?? 'the settings onnxruntime ran with'} placement="top">
      <Tag minimal icon="settings" data-testid="session-settings" title={options.origin}>
        {label}
      </Tag>
    </Tooltip>
  );
}

/**
 * A warning mark on timings whose runs varied a lot (busy machine), with the sample count behind them.
 * @param cv - standard deviation / mean of the timed runs
 * @param runs - how many timed runs back the figure
 */
export function NoiseMark({ cv, runs, compact = false }: { cv: number; runs: number; compact?: boolean }) {
  const why = noiseNote(cv, runs);
  if (!why) return null;
  if (compact) {
    return (
      <Tooltip content={`Noisy: ${why}. Measure again on a quiet machine before relying on it.`} compact>
        <Icon icon="warning-sign" intent="warning" size={12} data-testid="noise-mark" aria-label={`noisy: ${why}`} />
      </Tooltip>
    );
  }
  return (
    <Tag minimal intent="warning" icon="warning-sign" data-testid="noise-mark" title={`Noisy: ${why}. Measure again on a quiet machine before relying on it.`}>
      noisy: {why}
    </Tag>
  );
}
