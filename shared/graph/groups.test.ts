/** Group trees: name scopes, merged single-child groups, blocks for flat names, the initial expansion budget. */
import { describe, expect, it } from 'vitest';
import type { NodeDto } from './graph-dto';
import { allGroupIds, buildGroups, groupChain, initialExpansion, scopeOf } from './groups';

const node = (name: string, folded = false): NodeDto => ({ fileIndex: 0, name, op: 'Relu', domain: '', inputs: [], outputs: [], attributes: [], subgraphs: [], implicitInputs: [], folded });

describe('groups', () => {
  it('reads torch-style scopes', () => {
    expect(scopeOf('/layer1/layer1.0/conv1/Conv')).toEqual(['layer1', 'layer1.0', 'conv1']);
    expect(scopeOf('Conv_0')).toEqual([]);
  });

  it('builds scopes, merges single-child groups and leaves folded nodes out', () => {
    const nodes = [node('/a/x/Conv'), node('/a/x/Relu'), node('/a/y/Conv'), node('/b/Conv'), node('const', true)];
    const tree = buildGroups(nodes);
    expect([...tree.groups.keys()].sort()).toEqual(['', 'a', 'a/x']);
    expect(tree.groups.get('a')?.size).toBe(3);
    // /a/y holds one node: it moved up into a; /b holds one node: it moved to the root
    expect(tree.groups.get('a')?.nodes).toEqual([2]);
    expect(tree.groups.get('')?.nodes).toEqual([3]);
    expect(tree.groupOf[4]).toBe(-1);
    expect(groupChain(tree, 1)).toEqual(['a', 'a/x']);
  });

  it('splits flat names into blocks of consecutive nodes and expands within the budget', () => {
    const nodes = Array.from({ length: 5000 }, (_, i) => node(`n${i}`));
    const tree = buildGroups(nodes, 100);
    const root = tree.groups.get('');
    expect((root?.groups.length ?? 0) + (root?.nodes.length ?? 0)).toBeLessThanOrEqual(100);
    const expanded = initialExpansion(tree, 400);
    let visible = 0;
    const count = (id: string) => {
      const g = tree.groups.get(id);
      if (!g) return;
      visible += g.nodes.length;
      for (const c of g.groups) {
        if (expanded.has(c)) count(c);
        else visible++;
      }
    };
    count('');
    expect(visible).toBeLessThanOrEqual(400);
    expect(allGroupIds(tree).size).toBe(tree.groups.size);
  });
});
