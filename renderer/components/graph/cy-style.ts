/** Cytoscape styles of the graph view: category fills, Netron-like boxes, marks for selection, search and diff. */
import type { StylesheetJson } from 'cytoscape';

/** Outline colours of the marks, shared with the legend and the SVG export. */
export const MARK_COLORS = { match: '#f0b726', added: '#32a467', removed: '#e76a6e', changed: '#ec9a3c', selected: '#4c90f0' } as const;
export type MarkKind = keyof typeof MARK_COLORS;

/**
 * @param dark - the dark theme is on
 * @param edgeLabels - draw tensor shapes on edges
 * @returns the stylesheet
 */
export function graphStyle(dark: boolean, edgeLabels: boolean): StylesheetJson {
  const edge = dark ? '#8f99a8' : '#738091';
  const text = dark ? '#c5cbd3' : '#404854';
  return [
    {
      selector: 'node',
      style: {
        shape: 'round-rectangle',
        'corner-radius': 4,
        width: 'data(w)',
        height: 'data(h)',
        'background-color': 'data(color)',
        label: 'data(label)',
        'text-wrap': 'wrap',
        'text-valign': 'center',
        'text-halign': 'center',
        color: '#ffffff',
        'font-size': 10,
        'line-height': 1.3,
        'font-family': 'Inter, "Segoe UI", Helvetica, Arial, sans-serif',
        'min-zoomed-font-size': 7,
        'border-width': 0,
        'overlay-opacity': 0,
      },
    },
    { selector: 'node.input, node.output, node.outer', style: { 'corner-radius': 12, 'background-color': dark ? '#404854' : '#5f6b7c' } },
    { selector: 'node.group', style: { 'border-width': 1.5, 'border-style': 'dashed', 'border-color': '#a7b6c2', 'background-color': dark ? '#383e47' : '#5f6b7c' } },
    { selector: 'node.weight', style: { 'background-color': '#7a6a3a', 'font-size': 9 } },
    { selector: 'node.ov', style: { 'background-color': 'data(ovc)' } },
    { selector: 'node:selected', style: { 'border-width': 3, 'border-color': MARK_COLORS.selected, 'border-style': 'solid', 'underlay-color': MARK_COLORS.selected, 'underlay-opacity': 0.25, 'underlay-padding': 5 } },
    { selector: 'node.match', style: { 'border-width': 3, 'border-color': MARK_COLORS.match, 'border-style': 'solid' } },
    { selector: 'node.changed', style: { 'border-width': 4, 'border-color': MARK_COLORS.changed, 'border-style': 'solid' } },
    { selector: 'node.added', style: { 'border-width': 4, 'border-color': MARK_COLORS.added, 'border-style': 'solid' } },
    { selector: 'node.removed', style: { 'border-width': 4, 'border-color': MARK_COLORS.removed, 'border-style': 'solid' } },
    {
      selector: 'edge',
      style: {
        width: 1.2,
        'line-color': edge,
        'target-arrow-color': edge,
        'target-arrow-shape': 'triangle',
        'arrow-scale': 0.7,
        'curve-style': 'bezier',
        'overlay-opacity': 0,
        ...(edgeLabels
          ? {
              label: 'data(label)',
              'font-size': 8,
              color: text,
              'text-rotation': 'none',
              'text-margin-x': 4,
              'text-halign': 'right',
              'min-zoomed-font-size': 8,
              'text-background-color': dark ? '#1c2127' : '#ffffff',
              'text-background-opacity': 0.7,
              'text-background-padding': '1px',
            }
          : {}),
      },
    },
    { selector: 'edge.bent', style: { 'curve-style': 'round-segments', 'segment-distances': 'data(sd)', 'segment-weights': 'data(sw)', 'segment-radius': 20, 'edge-distances': 'node-position' } },
    { selector: 'edge.implicit', style: { 'line-style': 'dashed' } },
    { selector: 'edge.merged', style: { width: 2.2 } },
    { selector: 'edge:selected', style: { width: 3, 'line-color': MARK_COLORS.selected, 'target-arrow-color': MARK_COLORS.selected } },
    { selector: 'edge.near', style: { width: 2, 'line-color': MARK_COLORS.selected, 'target-arrow-color': MARK_COLORS.selected } },
  ] as StylesheetJson;
}
