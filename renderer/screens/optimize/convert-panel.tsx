/** The opset conversion panel: an old export converted to the opset onnxruntime's kernels and the quantizers want, as a new variant. */
import { Button, Callout, FormGroup, HTMLSelect } from '@blueprintjs/core';
import { useState } from 'react';
import { MODERN_OPSET, NEWEST_CONVERT_OPSET, OLDEST_CONVERT_OPSET } from '../../../shared/api/opsets';
import { modelSelectors, useStudio, variantSelectors } from '../../store';

/** Renders the panel. */
export function ConvertPanel() {
  const summary = useStudio(modelSelectors.summary);
  const current = Number(summary?.opsetImports[''] ?? summary?.opsetImports['ai.onnx'] ?? 0);
  const [opset, setOpset] = useState(NEWEST_CONVERT_OPSET);
  const runPasses = useStudio((s) => s.runPasses);
  const running = useStudio(variantSelectors.optimizeJobId) !== null;
  const options = [];
  for (let v = NEWEST_CONVERT_OPSET; v >= OLDEST_CONVERT_OPSET; v--) options.push({ value: v, label: `opset ${v}${v === NEWEST_CONVERT_OPSET ? ' (newest onnxruntime runs fully)' : v === current ? ' (the model’s)' : ''}` });
  return (
    <div className="ds-optimize-panel" data-testid="convert-panel">
      <p className="ds-muted">
        Rewrites every operator for another ONNX opset (attributes that became inputs, Upsample → Resize, BatchNormalization and
        Dropout changes, If/Loop/Scan bodies included). The result is a new variant; your model file is never changed.
      </p>
      {current > 0 && current < MODERN_OPSET && (
        <Callout intent="warning" compact icon="history" data-testid="convert-old-opset">
          This model uses opset {current}. Per-channel int8 needs opset {MODERN_OPSET}; quantizing converts it on the way, but a converted variant lets you check it first.
        </Callout>
      )}
      <FormGroup label="Target opset" labelFor="convert-opset" helperText={current ? `The model imports ai.onnx opset ${current}.` : undefined}>
        <HTMLSelect id="convert-opset" value={opset} onChange={(e) => setOpset(Number(e.target.value))} options={options} data-testid="convert-opset" />
      </FormGroup>
      <Button intent="primary" icon="play" disabled={opset === current} loading={running} onClick={() => void runPasses([{ pass: 'convert-opset', options: { opset } }], `opset-${opset}`)} data-testid="run-convert">
        Make variant
      </Button>
    </div>
  );
}
