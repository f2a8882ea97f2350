import { describe, expect, it } from 'vitest';
import { GRAPH_SHORTCUTS, shortcutLines } from './shortcut-catalogue';

describe('shortcut catalogue', () => {
  it('lists the Graph keys even when the graph screen is not mounted, once each', () => {
    const lines = shortcutLines([{ combo: 'mod+o', group: 'File', label: 'Open a model…' }], ['?']);
    const graph = lines.filter((l) => l.group === 'Graph');
    expect(graph.flatMap((l) => l.combos).sort()).toEqual(GRAPH_SHORTCUTS.map((g) => g.combo).sort());
    expect(graph.find((l) => l.label === 'Find node, op or tensor')?.combos).toEqual(['/', 'mod+f']);
  });
  it('does not double the Graph keys when the graph screen registered them too', () => {
    const lines = shortcutLines([{ combo: 'f', group: 'Graph', label: 'Zoom to fit' }], ['?']);
    expect(lines.filter((l) => l.label === 'Zoom to fit')).toEqual([{ group: 'Graph', label: 'Zoom to fit', combos: ['f'] }]);
  });
  it('lists only the help keys that work, File first and Help last', () => {
    const lines = shortcutLines([{ combo: 'mod+1', group: 'Go to', label: 'Model' }, { combo: 'mod+o', group: 'File', label: 'Open' }], ['?']);
    expect(lines[0].group).toBe('File');
    expect(lines[lines.length - 1]).toEqual({ group: 'Help', label: 'Show keyboard shortcuts', combos: ['?'] });
    expect(JSON.stringify(lines)).not.toContain('f1');
  });
});
