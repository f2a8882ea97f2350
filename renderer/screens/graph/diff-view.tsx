/** The diff view: the open model and a second one side by side, synced pan and zoom, changes marked and listed. */
import { Button, Callout, NonIdealState, Spinner, Tag } from '@blueprintjs/core';
import { useMemo, useRef, useState } from 'react';
import type { DiffChangeDto } from '../../../shared/api/graph-api';
import { GraphCanvas, type CanvasApi } from '../../components/graph/graph-canvas';
import type { MarkKind } from '../../components/graph/cy-style';
import { graphSelectors, modelSelectors, uiSelectors, useStudio } from '../../store';
import { boxIdOfNode, type GraphPane } from '../../store/graph-slice';

const KIND_INTENT = { added: 'success', removed: 'danger', changed: 'warning' } as const;

/** @returns box id → mark for one side of the diff. */
function sideMarks(pane: GraphPane, changes: DiffChangeDto[], side: 'a' | 'b'): Map<string, MarkKind> {
  const marks = new Map<string, MarkKind>();
  const dto = pane.dto;
  if (!dto || !pane.laid) return marks;
  const byFile = new Map(dto.nodes.map((n, i) => [n.fileIndex, i]));
  for (const c of changes) {
    const ref = side === 'a' ? c.nodeA : c.nodeB;
    if (!ref) continue;
    const i = byFile.get(ref.fileIndex);
    const id = i === undefined ? null : boxIdOfNode(pane, i);
    if (id) marks.set(id, c.kind);
  }
  return marks;
}

function boxOf(pane: GraphPane, fileIndex: number | undefined): string | null {
  if (fileIndex === undefined || !pane.dto) return null;
  const i = pane.dto.nodes.findIndex((n) => n.fileIndex === fileIndex);
  return i >= 0 ? boxIdOfNode(pane, i) : null;
}

/** Renders the diff view. */
export function DiffView() {
  const diff = useStudio(graphSelectors.diff);
  const fileA = useStudio(modelSelectors.fileName);
  const dark = useStudio(uiSelectors.theme) === 'dark';
  const edgeLabels = useStudio(graphSelectors.edgeLabels);
  const apis = useRef<{ a: CanvasApi | null; b: CanvasApi | null }>({ a: null, b: null });
  const [focusSeq, setFocusSeq] = useState(0);
  const changes = useMemo(() => diff?.result?.changes ?? [], [diff?.result]);
  const marksA = useMemo(() => (diff ? sideMarks(diff.a, changes, 'a') : null), [diff, changes]);
  const marksB = useMemo(() => (diff ? sideMarks(diff.b, changes, 'b') : null), [diff, changes]);
  if (!diff) return null;
  const s = useStudio.getState();
  const selected = diff.selected !== null ? changes[diff.selected] : null;
  const focusA = selected ? boxOf(diff.a, selected.nodeA?.fileIndex) : null;
  const focusB = selected ? boxOf(diff.b, selected.nodeB?.fileIndex) : null;
  const sync = (from: 'a' | 'b') => (v: { zoom: number; pan: { x: number; y: number } }) => apis.current[from === 'a' ? 'b' : 'a']?.setViewport(v);
  const pane = (side: 'a' | 'b', p: GraphPane, marks: Map<string, MarkKind> | null, focusId: string | null, title: string) => (
    <div className="ds-diff-pane" data-testid={`diff-pane-${side}`}>
      <div className="ds-diff-title ds-small">
        <Tag minimal>{side.toUpperCase()}</Tag> <b>{title}</b>
      </div>
      {p.laid ? (
        <GraphCanvas
          laid={p.laid}
          dark={dark}
          edgeLabels={edgeLabels}
          marks={marks}
          selectedId={focusId}
          focus={focusId ? { id: focusId, seq: focusSeq } : null}
          onViewport={sync(side)}
          onReady={(api) => (apis.current[side] = api)}
          testId={`diff-canvas-${side}`}
        />
      ) : p.error ? (
        <Callout intent="danger">{p.error.message}</Callout>
      ) : (
        <NonIdealState icon={<Spinner size={24} />} title={p.stage || 'Loading…'} />
      )}
    </div>
  );
  return (
    <div className="ds-screen ds-graph" data-screen="graph" data-testid="diff-view">
      <div className="ds-graph-toolbar">
        <b>Compare</b>
        <span className="ds-mono">{fileA}</span> ↔ <span className="ds-mono">{diff.fileB || '…'}</span>
        {diff.result && (
          <span data-testid="diff-counts">
            <Tag intent="warning" minimal>{diff.result.counts.changed} changed</Tag> <Tag intent="danger" minimal>{diff.result.counts.removed} removed</Tag>{' '}
            <Tag intent="success" minimal>{diff.result.counts.added} added</Tag> <Tag minimal>{diff.result.counts.unchanged} unchanged</Tag>
          </span>
        )}
        <span className="ds-status-spacer" />
        <Button size="small" icon="cross" onClick={() => s.closeDiff()} data-testid="close-diff">
          Close comparison
        </Button>
      </div>
      {diff.status === 'error' && diff.error && (
        <Callout intent="danger" title="The comparison failed" className="ds-error">
          {diff.error.message}
        </Callout>
      )}
      {(diff.status === 'picking' || diff.status === 'comparing') && (
        <NonIdealState icon={<Spinner />} title={diff.status === 'picking' ? 'Choose the model to compare with…' : `Comparing with ${diff.fileB}…`} />
      )}
      {diff.status === 'ready' && (
        <div className="ds-graph-body">
          <div className="ds-diff-list" data-testid="diff-list">
            <div className="ds-small ds-muted">{changes.length === 0 ? 'The graphs are the same.' : `${changes.length} changes`}</div>
            {changes.map((c, i) => (
              <button
                key={i}
                className={`ds-diff-item${diff.selected === i ? ' active' : ''}`}
                onClick={() => {
                  s.selectDiffChange(i);
                  setFocusSeq((n) => n + 1);
                }}
                data-testid="diff-change"
                data-kind={c.kind}
              >
                <Tag intent={KIND_INTENT[c.kind]} minimal>{c.kind}</Tag> <b>{c.op}</b> <span className="ds-mono">{(c.nodeA ?? c.nodeB)?.name}</span>
                {c.details.map((d, k) => (
                  <div key={k} className="ds-small ds-muted ds-wrap">{d}</div>
                ))}
              </button>
            ))}
          </div>
          {pane('a', diff.a, marksA, focusA, fileA ?? 'A')}
          {pane('b', diff.b, marksB, focusB, diff.fileB)}
        </div>
      )}
    </div>
  );
}
