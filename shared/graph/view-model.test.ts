/** The visible graph: weights folded into their readers, edges counted once, groups standing for their members. */
import { describe, expect, it } from 'vitest';
import { graphEdges } from './edges';
import type { GraphDto, TensorDto } from './graph-dto';
import { buildGroups } from './groups';
import { buildView } from './view-model';
import { overlayColor, OVERLAY_NONE } from './overlay';

const t = (name: string, kind: TensorDto['kind'], producer: number, consumers: number[], extra: Partial<TensorDto> = {}): TensorDto => ({ name, dtype: 'float32', shape: [1, 8], kind, producer, consumers, ...extra });

/** x → /blk/MatMul(W) → /blk/Relu → y, with a Constant folded into the MatMul. */
function dto(): GraphDto {
  const nodes: GraphDto['nodes'] = [
    { fileIndex: 0, name: 'c', op: 'Constant', domain: '', inputs: [], outputs: [3], attributes: [], subgraphs: [], implicitInputs: [], folded: true },
    { fileIndex: 1, name: '/blk/MatMul', op: 'MatMul', domain: '', inputs: [0, 1, 3], outputs: [2], attributes: [], subgraphs: [], implicitInputs: [] },
    { fileIndex: 2, name: '/blk/Relu', op: 'Relu', domain: '', inputs: [2], outputs: [4], attributes: [], subgraphs: [], implicitInputs: [] },
  ];
  const tensors = [
    t('x', 'input', -1, [1]),
    t('W', 'weight', -1, [1], { shape: [8, 8], weight: { source: 'initializer', elements: 64, bytes: 256, external: false } }),
    t('h', 'value', 1, [2]),
    t('c_out', 'value', 0, [1], { weight: { source: 'constant', elements: 1, bytes: 4, external: false } }),
    t('y', 'value', 2, [], { isOutput: true }),
  ];
  return { modelId: 'm', path: [], breadcrumb: ['main'], name: 'g', nodeCount: 3, foldedCount: 1, edgeCount: 0, tensorCount: 5, subgraphNodeCount: 0, inputs: [0], outputs: [4], chunkCount: 1, nodes, tensors };
}

describe('view model', () => {
  it('folds initializers and Constant values into their reader and counts edges once', () => {
    const d = dto();
    const edges = graphEdges(d);
    expect(edges.map((e) => `${e.source}>${e.target}`)).toEqual(['i0>n1', 'n1>n2', 'n2>o4']);
    const view = buildView(d);
    expect(view.nodes.map((v) => v.id)).toEqual(['i0', 'n1', 'n2', 'o4']);
    expect(view.nodes[1].label).toContain('B ⟨8×8⟩');
    expect(view.representedNodes).toBe(2);
  });

  it('shows weights as their own boxes on request', () => {
    const view = buildView(dto(), { unfoldWeights: true });
    expect(view.nodes.filter((v) => v.kind === 'weight')).toHaveLength(2);
    expect(view.edges.filter((e) => e.source.startsWith('w'))).toHaveLength(2);
  });

  it('draws a collapsed group as one box standing for its members', () => {
    const d = dto();
    const tree = buildGroups(d.nodes);
    const view = buildView(d, { tree, expanded: new Set(['']) });
    const group = view.nodes.find((v) => v.kind === 'group');
    expect(group?.members).toBe(2);
    expect(view.edges.map((e) => `${e.source}>${e.target}`)).toEqual(['i0>g:blk', 'g:blk>o4']);
    expect(view.representedEdges).toBe(3);
  });

  it('colours overlay values on a log scale and greys nodes without one', () => {
    expect(overlayColor(undefined, { min: 1, max: 100 }, 'log')).toBe(OVERLAY_NONE);
    expect(overlayColor(1, { min: 1, max: 100 }, 'log')).toBe('#2c4f8a');
    expect(overlayColor(100, { min: 1, max: 100 }, 'log')).toBe('#d33c3c');
  });
});
