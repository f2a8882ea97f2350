/** The compatibility findings of the open model on the chosen target, where each node runs, and the session applied. */
import { Callout, Card, Collapse, H5, HTMLTable, Button, Tag, type Intent } from '@blueprintjs/core';
import type { IconName } from '@blueprintjs/icons';
import { useState } from 'react';
import type { CheckResultDto, FindingDto } from '../../../shared/api/targets-api';

const INTENT: Record<FindingDto['severity'], Intent> = { error: 'danger', warning: 'warning', info: 'primary' };
const ICON: Record<FindingDto['severity'], IconName> = { error: 'error', warning: 'warning-sign', info: 'info-sign' };

function Finding({ f }: { f: FindingDto }) {
  const [open, setOpen] = useState(false);
  const nodes = f.nodes ?? [];
  return (
    <Callout intent={INTENT[f.severity]} icon={ICON[f.severity]} title={f.title} className="ds-finding" data-testid={`finding-${f.code}`} data-severity={f.severity}>
      <p>{f.detail}</p>
      <p className="ds-finding-suggestion">→ {f.suggestion}</p>
      {nodes.length > 0 && (
        <>
          <Button size="small" variant="minimal" icon={open ? 'caret-down' : 'caret-right'} onClick={() => setOpen(!open)}>
            {f.nodeCount ?? nodes.length} node{(f.nodeCount ?? nodes.length) === 1 ? '' : 's'}
          </Button>
          <Collapse isOpen={open}>
            <div className="ds-mono ds-finding-nodes">
              {nodes.join(', ')}
              {(f.nodeCount ?? 0) > nodes.length ? ` … and ${(f.nodeCount ?? 0) - nodes.length} more` : ''}
            </div>
          </Collapse>
        </>
      )}
    </Callout>
  );
}

/** Renders the findings card. */
export function FindingsView({ check }: { check: CheckResultDto }) {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of check.findings) counts[f.severity]++;
  return (
    <Card className="ds-card ds-card-wide" data-testid="findings">
      <div className="ds-card-head">
        <H5>
          Compatibility{' '}
          <Tag intent={check.verdict === 'errors' ? 'danger' : check.verdict === 'warnings' ? 'warning' : 'success'} data-testid="verdict">
            {check.verdict === 'errors' ? 'not compatible' : check.verdict === 'warnings' ? 'runs, with warnings' : 'compatible'}
          </Tag>
        </H5>
        <span className="ds-muted">
          {counts.error} error{counts.error === 1 ? '' : 's'} · {counts.warning} warning{counts.warning === 1 ? '' : 's'} · {counts.info} note{counts.info === 1 ? '' : 's'}
        </span>
      </div>
      {check.findings.length === 0 ? (
        <p className="ds-muted" data-testid="no-findings">
          Every op has a kernel on {check.target.name}, the dtypes are supported, and the model fits its memory and storage budgets.
        </p>
      ) : (
        <div className="ds-findings">
          {check.findings.map((f, i) => (
            <Finding key={`${f.code}-${f.opType ?? ''}-${i}`} f={f} />
          ))}
        </div>
      )}
    </Card>
  );
}

/** Renders where the nodes run and what the session on this host reproduces. */
export function PlacementView({ check }: { check: CheckResultDto }) {
  const s = check.session;
  return (
    <Card className="ds-card" data-testid="placement">
      <H5>Execution providers</H5>
      <HTMLTable compact className="ds-table">
        <tbody>
          {check.assignment.map((a) => (
            <tr key={a.ep}>
              <td className="ds-mono ds-nowrap">{a.ep}</td>
              <td className="ds-num ds-nowrap">{a.nodes} nodes</td>
              <td className="ds-wrap ds-muted">{a.opTypes.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </HTMLTable>
      <H5 className="ds-target-sub">Benchmark session here</H5>
      <ul className="ds-target-list" data-testid="emulated">
        {s.emulated.map((e) => (
          <li key={e}>{e}</li>
        ))}
      </ul>
      {s.notEmulated.length > 0 && (
        <>
          <div className="ds-muted">Not emulated on this host:</div>
          <ul className="ds-target-list ds-muted" data-testid="not-emulated">
            {s.notEmulated.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}
