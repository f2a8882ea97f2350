/** The Optimize place's tabs: each pass family contributes one panel (one line each). */
import type { ComponentType } from 'react';
import { ConvertPanel } from './convert-panel';
import { DistillPanel } from './distill-panel';
import { GraphOptimizePanel } from './graph-optimize-panel';
import { PrunePanel } from './prune-panel';
import { QuantizePanel } from './quantize-panel';

export interface OptimizePanel {
  id: string;
  title: string;
  Panel: ComponentType;
}

export const OPTIMIZE_PANELS: OptimizePanel[] = [
  { id: 'graph', title: 'Graph optimization', Panel: GraphOptimizePanel },
  { id: 'prune', title: 'Prune', Panel: PrunePanel },
  { id: 'quantize', title: 'Quantize', Panel: QuantizePanel },
  { id: 'convert', title: 'Convert opset', Panel: ConvertPanel },
  { id: 'distill', title: 'Distil', Panel: DistillPanel },
];
