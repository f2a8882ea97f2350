/** The right panel of the graph view: the selected node, tensor (edge) or group, else the graph's overview. */
import { Button, HTMLTable, Tag } from '@blueprintjs/core';
import { shapeText, type GraphDto } from '../../../shared/graph/graph-dto';
import { CATEGORY_COLORS, CATEGORY_LABELS, OP_CATEGORIES } from '../../../shared/graph/op-category';
import { isWeight } from '../../../shared/graph/view-model';
import { graphSelectors, useStudio } from '../../store';
import { NodeInspector } from './node-inspector';
import { TensorPanel } from './tensor-panel';

function NodeLink({ dto, node }: { dto: GraphDto; node: number }) {
  const reveal = useStudio((s) => s.revealNode);
  const n = dto.nodes[node];
  return (
    <a className="ds-link" onClick={() => void reveal(node)}>
      <b>{n.op}</b> <span className="ds-mono ds-muted">{n.name || `#${n.fileIndex}`}</span>
    </a>
  );
}

function TensorInspector({ dto, t }: { dto: GraphDto; t: number }) {
  const tensor = dto.tensors[t];
  const weight = isWeight(dto, t);
  const producer = tensor.producer >= 0 ? tensor.producer : null;
  return (
    <div className="ds-inspector-body" data-testid="tensor-inspector">
      <div className="ds-insp-head">
        <h3>Tensor</h3>
        <Tag minimal>{weight ? 'weight' : tensor.kind === 'input' ? 'graph input' : tensor.kind === 'outer' ? 'outer scope' : 'activation'}</Tag>
        {tensor.isOutput && <Tag minimal>graph output</Tag>}
      </div>
      <div className="ds-mono ds-wrap ds-insp-name">{tensor.name}</div>
      <HTMLTable compact className="ds-kv">
        <tbody>
          <tr><td>dtype</td><td className="ds-mono">{tensor.dtype}</td></tr>
          <tr><td>shape</td><td className="ds-mono">{tensor.shape ? `[${tensor.shape.map((d) => (d === null ? '?' : d)).join(', ')}]` : 'unknown'}</td></tr>
          <tr>
            <td>producer</td>
            <td>{producer !== null ? <NodeLink dto={dto} node={producer} /> : tensor.kind === 'input' ? 'graph input' : weight ? 'stored weight' : tensor.kind === 'outer' ? 'enclosing graph' : '—'}</td>
          </tr>
          <tr>
            <td>consumers</td>
            <td>
              {tensor.consumers.length === 0 && <span className="ds-muted">none</span>}
              {tensor.consumers.slice(0, 50).map((c) => (
                <div key={c}>
                  <NodeLink dto={dto} node={c} />
                </div>
              ))}
              {tensor.consumers.length > 50 && <span className="ds-muted">… {tensor.consumers.length - 50} more</span>}
            </td>
          </tr>
        </tbody>
      </HTMLTable>
      {weight && <TensorPanel modelId={dto.modelId} path={dto.path} name={tensor.name} />}
    </div>
  );
}

function Overview({ dto }: { dto: GraphDto }) {
  const laid = useStudio(graphSelectors.laid);
  const relayout = useStudio((s) => s.relayout);
  const collapsed = laid ? laid.nodes.filter((v) => v.kind === 'group').length : 0;
  return (
    <div className="ds-inspector-body" data-testid="graph-overview">
      <h3>{dto.breadcrumb.join(' › ')}</h3>
      <HTMLTable compact className="ds-kv">
        <tbody>
          <tr><td>nodes</td><td>{dto.nodeCount.toLocaleString()}{dto.foldedCount ? ` (${dto.foldedCount} Constant folded as weights)` : ''}</td></tr>
          <tr><td>edges</td><td>{dto.edgeCount.toLocaleString()}</td></tr>
          {dto.subgraphNodeCount > 0 && <tr><td>in subgraphs</td><td>{dto.subgraphNodeCount.toLocaleString()} more nodes</td></tr>}
          <tr><td>inputs</td><td className="ds-mono ds-wrap">{dto.inputs.map((t) => `${dto.tensors[t].name} ${shapeText(dto.tensors[t].shape)}`).join(', ') || '—'}</td></tr>
          <tr><td>outputs</td><td className="ds-mono ds-wrap">{dto.outputs.map((t) => `${dto.tensors[t].name} ${shapeText(dto.tensors[t].shape)}`).join(', ') || '—'}</td></tr>
          {laid && <tr><td>layout</td><td>{laid.nodes.length} boxes in {laid.layoutMs.toFixed(0)} ms</td></tr>}
        </tbody>
      </HTMLTable>
      {collapsed > 0 && (
        <p className="ds-small">
          {collapsed} groups are collapsed to keep the view fast. Double-click a group to open it, or{' '}
          <Button size="small" onClick={() => void relayout({ expanded: 'all' })} data-testid="expand-all">expand everything</Button>
        </p>
      )}
      <h4>Operator categories</h4>
      <div className="ds-legend-cats">
        {OP_CATEGORIES.map((c) => (
          <div key={c} className="ds-small">
            <span className="ds-chip" style={{ background: CATEGORY_COLORS[c] }} /> {CATEGORY_LABELS[c]}
          </div>
        ))}
      </div>
      <p className="ds-muted ds-small">Click a node or edge to inspect it. Keys: / search, F fit, Z zoom to selection, ↑ ↓ producer / consumer, ← → siblings, Enter open subgraph, Backspace up.</p>
    </div>
  );
}

/** Renders the inspector for the current selection. */
export function GraphInspector({ dto }: { dto: GraphDto }) {
  const selection = useStudio(graphSelectors.selection);
  const toggleGroup = useStudio((s) => s.toggleGroup);
  if (selection?.kind === 'node' && dto.nodes[selection.node]) return <NodeInspector dto={dto} node={dto.nodes[selection.node]} index={selection.node} />;
  if (selection?.kind === 'tensor' && dto.tensors[selection.tensor]) return <TensorInspector dto={dto} t={selection.tensor} />;
  if (selection?.kind === 'group') {
    return (
      <div className="ds-inspector-body" data-testid="group-inspector">
        <div className="ds-insp-head">
          <h3>Group</h3>
          <Tag minimal>{selection.members} nodes</Tag>
        </div>
        <div className="ds-mono ds-wrap ds-insp-name">{selection.label}</div>
        <Button icon="expand-all" onClick={() => void toggleGroup(selection.group, true)} data-testid="expand-group">
          Expand
        </Button>
      </div>
    );
  }
  return <Overview dto={dto} />;
}
