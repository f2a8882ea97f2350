/** The inspector of one node: op, name, attributes, inputs and outputs, weights in detail, subgraphs, overlay value. */
import { Button, Collapse, HTMLTable, Icon, Tag } from '@blueprintjs/core';
import { useState } from 'react';
import { shapeText, type GraphDto, type NodeDto } from '../../../shared/graph/graph-dto';
import { CATEGORY_COLORS, CATEGORY_LABELS, inputName, opCategory } from '../../../shared/graph/op-category';
import { isWeight } from '../../../shared/graph/view-model';
import { formatOverlayValue } from '../../../shared/graph/overlay';
import { overlayKey } from '../../../shared/graph/weight-overlay';
import { graphSelectors, useStudio } from '../../store';
import { attributeText } from './attribute-text';
import { TensorPanel } from './tensor-panel';

/** A tensor row: name (click selects it), dtype and shape. */
function TensorRow({ dto, t, role }: { dto: GraphDto; t: number; role: string }) {
  const select = useStudio((s) => s.selectGraph);
  if (t < 0) return (<tr><td>{role}</td><td className="ds-muted" colSpan={2}>(omitted)</td></tr>);
  const tensor = dto.tensors[t];
  return (
    <tr>
      <td>{role}</td>
      <td>
        <a className="ds-mono ds-link" onClick={() => select({ kind: 'tensor', tensor: t })} title={tensor.name}>
          {tensor.name}
        </a>
      </td>
      <td className="ds-mono ds-nowrap">
        {tensor.dtype !== 'unknown' ? tensor.dtype : ''} {shapeText(tensor.shape)}
      </td>
    </tr>
  );
}

/** A weight with its details behind a disclosure (the first one open). */
function WeightSection({ dto, t, role, open: initiallyOpen }: { dto: GraphDto; t: number; role: string; open: boolean }) {
  const [open, setOpen] = useState(initiallyOpen);
  const tensor = dto.tensors[t];
  return (
    <div className="ds-weight">
      <Button variant="minimal" size="small" alignText="start" fill icon={open ? 'chevron-down' : 'chevron-right'} onClick={() => setOpen(!open)} data-testid="weight-toggle">
        <span className="ds-mono">{role}</span> <span className="ds-muted ds-mono">⟨{shapeText(tensor.shape)}⟩ {tensor.name}</span>
      </Button>
      <Collapse isOpen={open} keepChildrenMounted={false}>
        <TensorPanel modelId={dto.modelId} path={dto.path} name={tensor.name} />
      </Collapse>
    </div>
  );
}

/** Renders the node inspector. */
export function NodeInspector({ dto, node, index }: { dto: GraphDto; node: NodeDto; index: number }) {
  const openSubgraph = useStudio((s) => s.openSubgraph);
  const overlay = useStudio(graphSelectors.activeOverlay);
  const laid = useStudio(graphSelectors.laid);
  const toggleGroup = useStudio((s) => s.toggleGroup);
  const category = opCategory(node.op, node.domain);
  const weights = node.inputs.map((t, i) => ({ t, i })).filter(({ t }) => t >= 0 && isWeight(dto, t));
  const box = laid ? laid.nodes[laid.boxOfNode[index]] : undefined;
  const group = box?.groupOf ? laid?.groups.find((g) => g.id === box.groupOf) : undefined;
  const value = overlay?.values[overlayKey(node)];
  return (
    <div className="ds-inspector-body" data-testid="node-inspector">
      <div className="ds-insp-head">
        <span className="ds-chip" style={{ background: CATEGORY_COLORS[category] }} />
        <h3>{node.op}</h3>
        <Tag minimal>{node.domain || 'ai.onnx'}</Tag>
      </div>
      <div className="ds-mono ds-wrap ds-insp-name">{node.name || <span className="ds-muted">(unnamed node #{node.fileIndex})</span>}</div>
      <div className="ds-muted ds-small">{CATEGORY_LABELS[category]} · node {node.fileIndex + 1} of {dto.nodeCount} in file order</div>
      {group && (
        <div className="ds-small">
          <Icon icon="folder-close" size={12} /> in <span className="ds-mono">{group.label}</span> ({group.size} nodes){' '}
          <Button size="small" variant="minimal" icon="collapse-all" onClick={() => void toggleGroup(group.id, false)}>
            Collapse
          </Button>
        </div>
      )}
      {overlay && (
        <div className="ds-small" data-testid="overlay-value">
          {overlay.title}: <b>{value === undefined ? 'no value' : formatOverlayValue(value, overlay.unit)}</b>
        </div>
      )}
      {node.docString && <p className="ds-small ds-muted ds-untrusted-block">{node.docString}</p>}
      <h4>Attributes</h4>
      {node.attributes.length === 0 ? (
        <p className="ds-muted ds-small">none</p>
      ) : (
        <HTMLTable compact className="ds-kv" data-testid="node-attributes">
          <tbody>
            {node.attributes.map((a) => {
              const { text, type } = attributeText(a.value);
              return (
                <tr key={a.name}>
                  <td>{a.name}</td>
                  <td className="ds-mono ds-wrap">
                    {text} <Tag minimal className="ds-type">{type}</Tag>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </HTMLTable>
      )}
      {node.subgraphs.length > 0 && (
        <>
          <h4>Subgraphs</h4>
          {node.subgraphs.map((s) => (
            <Button key={`${s.attribute}.${s.index}`} icon="graph" size="small" onClick={() => void openSubgraph({ node: node.fileIndex, attribute: s.attribute, index: s.index })} data-testid="open-subgraph">
              Open {s.attribute}
              {s.index ? `[${s.index}]` : ''} ({s.nodeCount} nodes)
            </Button>
          ))}
        </>
      )}
      <h4>Inputs</h4>
      <HTMLTable compact className="ds-kv">
        <tbody>
          {node.inputs.map((t, i) => (
            <TensorRow key={i} dto={dto} t={t} role={inputName(node.op, i)} />
          ))}
          {node.implicitInputs.map((t) => (
            <TensorRow key={`i${t}`} dto={dto} t={t} role="(subgraph)" />
          ))}
        </tbody>
      </HTMLTable>
      <h4>Outputs</h4>
      <HTMLTable compact className="ds-kv">
        <tbody>
          {node.outputs.map((t, i) => (
            <TensorRow key={i} dto={dto} t={t} role={`out${i}`} />
          ))}
        </tbody>
      </HTMLTable>
      {weights.length > 0 && (
        <>
          <h4>Weights</h4>
          {weights.map(({ t, i }, k) => (
            <WeightSection key={t} dto={dto} t={t} role={inputName(node.op, i)} open={k === 0} />
          ))}
        </>
      )}
    </div>
  );
}
