/** The validator's findings: how they are built, labelled, capped per rule and ordered. */
import type { ModelProblem, ProblemSeverity } from '../../../../shared/api/model-summary';
import type { NodeProto } from '../proto';

export type { ModelProblem, ProblemSeverity };

/** Findings kept per rule before the rest are summarized in one entry (a broken export repeats one fault 10 000 times). */
export const MAX_PER_CODE = 20;

/** Names longer than this are cut in messages (the `node` and `tensor` fields keep them whole). */
const MAX_NAME_IN_MESSAGE = 80;

const ORDER: Record<ProblemSeverity, number> = { error: 0, warning: 1, info: 2 };

/** A model text quoted for a message, cut when very long. */
export function quote(name: string): string {
  return `"${name.length > MAX_NAME_IN_MESSAGE ? `${name.slice(0, MAX_NAME_IN_MESSAGE)}…` : name}"`;
}

/** @returns the text with its first letter in upper case (messages start with a node's description). */
export function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Where a node sits, for a problem's fields. */
export interface NodeRef {
  graph: string;
  node: NodeProto;
  index: number;
}

/** @returns the `node` field of a problem: the node's name, or `OpType#index` when it has none. */
export function nodeId(node: NodeProto, index: number): string {
  return node.name || `${node.opType || '?'}#${index}`;
}

/**
 * How a message names a node: `node "conv1" (Conv)`, or `the Conv node #12` for an unnamed one, with its graph when
 * it is a subgraph.
 */
export function nodeText(ref: NodeRef): string {
  const op = ref.node.opType || '(no op type)';
  const base = ref.node.name ? `node ${quote(ref.node.name)} (${op})` : `the ${op} node #${ref.index}`;
  return ref.graph === 'main' ? base : `${base} in ${ref.graph}`;
}

/** Collects findings, keeping the first {@link MAX_PER_CODE} of each rule and counting the rest. */
export class ProblemList {
  private readonly kept: ModelProblem[] = [];
  private readonly perCode = new Map<string, { severity: ProblemSeverity; fix: string; count: number }>();

  /** Records a finding. */
  add(problem: ModelProblem): void {
    const seen = this.perCode.get(problem.code);
    if (!seen) this.perCode.set(problem.code, { severity: problem.severity, fix: problem.fix, count: 1 });
    else seen.count++;
    if ((seen?.count ?? 1) <= MAX_PER_CODE) this.kept.push(problem);
  }

  /** Records a finding about a node, with its graph, name and position filled in. */
  addAt(ref: NodeRef, problem: Omit<ModelProblem, 'graph' | 'node' | 'nodeIndex'>): void {
    this.add({ ...problem, graph: ref.graph, node: nodeId(ref.node, ref.index), nodeIndex: ref.index });
  }

  /** @returns true when some finding of this rule was recorded. */
  has(code: string): boolean {
    return this.perCode.has(code);
  }

  /** @returns the findings, errors first (file order within a severity), one summary entry per rule past the cap. */
  result(): ModelProblem[] {
    const out = [...this.kept];
    for (const [code, { severity, fix, count }] of this.perCode) {
      if (count > MAX_PER_CODE) {
        const more = count - MAX_PER_CODE;
        out.push({ severity, code, count: more, message: `${more} more finding(s) of this kind (${code}); the first ${MAX_PER_CODE} are listed.`, fix });
      }
    }
    return out.map((p, i) => ({ p, i })).sort((a, b) => ORDER[a.p.severity] - ORDER[b.p.severity] || a.i - b.i).map(({ p }) => p);
  }
}
