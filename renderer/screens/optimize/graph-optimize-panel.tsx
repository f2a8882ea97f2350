/** The graph optimization panel: onnxruntime's constant folding and fusions, as a new variant. */
import { Button, Callout, FormGroup, HTMLSelect } from '@blueprintjs/core';
import { useState } from 'react';
import { useStudio, variantSelectors } from '../../store';

/** Renders the panel. */
export function GraphOptimizePanel() {
  const [level, setLevel] = useState<'basic' | 'extended'>('basic');
  const runPasses = useStudio((s) => s.runPasses);
  const running = useStudio(variantSelectors.optimizeJobId) !== null;
  return (
    <div className="ds-optimize-panel" data-testid="graph-optimize-panel">
      <p className="ds-muted">
        onnxruntime folds constants, removes redundant nodes and fuses Conv+BatchNorm and similar patterns. The result is a new
        variant; your model file is never changed.
      </p>
      <FormGroup label="Level" labelFor="graph-opt-level" helperText={level === 'basic' ? 'Standard ONNX operators only: runs on any runtime.' : 'Adds onnxruntime-only fused operators (CPU/CUDA).'}>
        <HTMLSelect id="graph-opt-level" value={level} onChange={(e) => setLevel(e.target.value as 'basic' | 'extended')} options={[{ value: 'basic', label: 'Basic (portable)' }, { value: 'extended', label: 'Extended (onnxruntime only)' }]} />
      </FormGroup>
      {level === 'extended' && <Callout intent="warning" compact>The variant will only run on onnxruntime.</Callout>}
      <Button intent="primary" icon="play" loading={running} onClick={() => void runPasses([{ pass: 'graph-optimize', options: { level } }], `graph-${level}`)} data-testid="run-graph-optimize">
        Make variant
      </Button>
    </div>
  );
}
