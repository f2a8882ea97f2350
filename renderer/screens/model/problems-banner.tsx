/** The validator's findings above the summary: one callout per severity (errors red, warnings amber, suggestions blue), each a list of what is wrong and what to do. */
import { Button, Callout, Collapse, Tag, type Intent } from '@blueprintjs/core';
import { useState } from 'react';
import type { ModelProblem, ProblemSeverity } from '../../../shared/api/model-summary';
import { useStudio } from '../../store';

/** Lists longer than this start folded. */
const OPEN_UP_TO = 6;

/** Rules whose fix is the opset converter, offered as a button to the Optimize place. */
const CONVERTIBLE = new Set(['OLD_OPSET', 'DEPRECATED_OP', 'EXPERIMENTAL_OP']);

const LOOK: Record<ProblemSeverity, { intent: Intent; icon: 'error' | 'warning-sign' | 'info-sign'; one: string; many: string; lead: string }> = {
  error: { intent: 'danger', icon: 'error', one: 'error', many: 'errors', lead: 'onnxruntime cannot load or run this model as it is.' },
  warning: { intent: 'warning', icon: 'warning-sign', one: 'warning', many: 'warnings', lead: 'The model may work, but something is unusual or refused by other tools.' },
  info: { intent: 'primary', icon: 'info-sign', one: 'suggestion', many: 'suggestions', lead: '' },
};

function count(problems: ModelProblem[]): number {
  return problems.reduce((n, p) => n + (p.count ?? 1), 0);
}

function ProblemItem({ problem }: { problem: ModelProblem }) {
  const setPlace = useStudio((s) => s.setPlace);
  const where = [problem.graph && problem.graph !== 'main' ? problem.graph : '', problem.node ? `node ${problem.node}` : '', problem.tensor ? `tensor ${problem.tensor}` : '']
    .filter(Boolean)
    .join(' · ');
  return (
    <li className="ds-problem" data-testid="model-problem" data-code={problem.code} data-severity={problem.severity}>
      <div className="ds-problem-head">
        <Tag minimal className="ds-mono">
          {problem.code}
        </Tag>
        {where && <span className="ds-muted ds-mono ds-untrusted-tag ds-problem-where">{where}</span>}
      </div>
      <div className="ds-untrusted">{problem.message}</div>
      <div className="ds-problem-fix">
        <span className="ds-muted">What to do: </span>
        <span className="ds-untrusted">{problem.fix}</span>
        {CONVERTIBLE.has(problem.code) && (
          <Button size="small" variant="minimal" intent="primary" icon="arrow-right" onClick={() => setPlace('optimize')} data-testid="problem-convert">
            Convert in Optimize
          </Button>
        )}
      </div>
    </li>
  );
}

function SeverityCallout({ severity, problems }: { severity: ProblemSeverity; problems: ModelProblem[] }) {
  const [open, setOpen] = useState(severity === 'error' || problems.length <= OPEN_UP_TO);
  const look = LOOK[severity];
  const n = count(problems);
  const foldable = problems.length > 1;
  return (
    <Callout intent={look.intent} icon={look.icon} title={`${n} ${n === 1 ? look.one : look.many}`} className="ds-problems" data-testid={`model-problems-${severity}`}>
      {(look.lead || foldable) && (
        <div className="ds-problems-lead">
          {look.lead && <span>{look.lead} </span>}
          {foldable && (
            <Button size="small" variant="minimal" onClick={() => setOpen(!open)} icon={open ? 'chevron-up' : 'chevron-down'} data-testid="problems-toggle">
              {open ? 'Hide' : `Show all ${problems.length}`}
            </Button>
          )}
        </div>
      )}
      <Collapse isOpen={open || !foldable}>
        <ul className="ds-problem-list">
          {problems.map((p, i) => (
            <ProblemItem key={`${p.code}-${i}`} problem={p} />
          ))}
        </ul>
      </Collapse>
    </Callout>
  );
}

/** Renders nothing for a clean model. */
export function ProblemsBanner({ problems }: { problems: readonly ModelProblem[] }) {
  if (problems.length === 0) return null;
  const groups = (['error', 'warning', 'info'] as const).map((s) => [s, problems.filter((p) => p.severity === s)] as const).filter(([, list]) => list.length > 0);
  return (
    <div className="ds-problems-banner" data-testid="model-problems" role="region" aria-label="Problems found in the model">
      {groups.map(([severity, list]) => (
        <SeverityCallout key={severity} severity={severity} problems={list} />
      ))}
    </div>
  );
}
