/** How the CLI prints the validator's problems: one line each, and one line saying why a model is unusable. */
import type { ModelProblem } from '../../shared/api/model-summary';

const MARK: Record<ModelProblem['severity'], string> = { error: 'error  ', warning: 'warning', info: 'info   ' };

/** @returns one line per problem: severity, rule, what is wrong and what to do. */
export function problemLines(problems: readonly ModelProblem[]): string[] {
  return problems.map((p) => `  ${MARK[p.severity]} ${p.code}: ${p.message} Fix: ${p.fix}`);
}

/** @returns how many errors the problems stand for (a summarized entry counts for each finding it stands for). */
export function errorCount(problems: readonly ModelProblem[]): number {
  return problems.reduce((n, p) => n + (p.severity === 'error' ? (p.count ?? 1) : 0), 0);
}

/**
 * The one line a verb ends with when the model is unusable.
 * @returns the line naming the first error and how many others there are, or undefined when there is no error
 */
export function unusableLine(problems: readonly ModelProblem[]): string | undefined {
  const first = problems.find((p) => p.severity === 'error');
  if (!first) return undefined;
  const others = errorCount(problems) - 1;
  const more = others > 0 ? ` (and ${others} other error${others === 1 ? '' : 's'})` : '';
  return `deploy-studio: the model is not usable: ${first.message.replace(/\.$/, '')}${more}.`;
}
