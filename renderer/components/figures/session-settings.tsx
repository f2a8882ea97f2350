/** The session settings a latency was measured with, shown the same way beside every figure (one label, one tooltip). */
import { Tag, Tooltip } from '@blueprintjs/core';
import { settingsLabel, type ResolvedSessionOptions } from '../../../shared/api/runtime-dto';

/** Coefficient of variation above which a timing is marked as noisy. */
export const NOISY_CV = 0.1;

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
export function NoiseMark({ cv, runs }: { cv: number; runs: number }) {
  if (!(cv > NOISY_CV) && runs >= 10) return null;
  const why = runs < 10 ? `only ${runs} run${runs === 1 ? '' : 's'}` : `runs varied by ${(cv * 100).toFixed(0)} % (std / mean over ${runs} runs)`;
  return (
    <Tag minimal intent="warning" icon="warning-sign" data-testid="noise-mark" title={`Noisy: ${why}. Measure again on a quiet machine before relying on it.`}>
      noisy: {why}
    </Tag>
  );
}
