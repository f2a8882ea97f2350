/**
 * Every keyboard shortcut of the studio, for the shortcuts dialog: the ones registered right now plus the ones of
 * places not on screen (the Graph place's keys work only there, yet the dialog lists them wherever it opens).
 */
import type { HotkeyConfig } from '@blueprintjs/core';

/** One line of the dialog: a label and every combo that does it. */
export interface ShortcutLine {
  group: string;
  label: string;
  combos: string[];
}

/** The Graph place's keys (registered by the graph screen while it is shown). */
export const GRAPH_SHORTCUTS: ReadonlyArray<{ combo: string; label: string }> = [
  { combo: '/', label: 'Find node, op or tensor' },
  { combo: 'mod+f', label: 'Find node, op or tensor' },
  { combo: 'f', label: 'Zoom to fit' },
  { combo: 'z', label: 'Zoom to selection' },
  { combo: 'up', label: 'Go to producer' },
  { combo: '[', label: 'Go to producer' },
  { combo: 'down', label: 'Go to consumer' },
  { combo: ']', label: 'Go to consumer' },
  { combo: 'left', label: 'Previous producer / consumer' },
  { combo: 'right', label: 'Next producer / consumer' },
  { combo: 'enter', label: 'Open subgraph / expand group' },
  { combo: 'backspace', label: 'Up one graph level' },
  { combo: 'e', label: 'Toggle tensor shapes on edges' },
  { combo: 'w', label: 'Toggle weights as boxes' },
  { combo: 'esc', label: 'Clear selection' },
];

/** The order groups are listed in. */
const GROUP_ORDER = ['File', 'Go to', 'View', 'Graph', 'Help'];

/**
 * Merges the registered hotkeys with the catalogue into dialog lines, one per (group, label), combos joined.
 * @param registered - the hotkeys mounted components registered
 * @param helpCombos - the combos that open this dialog (`?`, and F1 where the menu binds it)
 */
export function shortcutLines(registered: readonly Pick<HotkeyConfig, 'combo' | 'group' | 'label'>[], helpCombos: readonly string[]): ShortcutLine[] {
  const lines = new Map<string, ShortcutLine>();
  const add = (group: string, label: string, combo: string) => {
    const key = `${group}\u0000${label}`;
    const line = lines.get(key) ?? { group, label, combos: [] };
    if (!line.combos.includes(combo)) line.combos.push(combo);
    lines.set(key, line);
  };
  for (const h of registered) add(typeof h.group === 'string' ? h.group : 'Other', typeof h.label === 'string' ? h.label : String(h.label ?? ''), h.combo);
  for (const g of GRAPH_SHORTCUTS) add('Graph', g.label, g.combo);
  for (const c of helpCombos) add('Help', 'Show keyboard shortcuts', c);
  const rank = (g: string) => {
    const i = GROUP_ORDER.indexOf(g);
    return i < 0 ? GROUP_ORDER.length : i;
  };
  return [...lines.values()].sort((a, b) => rank(a.group) - rank(b.group));
}
