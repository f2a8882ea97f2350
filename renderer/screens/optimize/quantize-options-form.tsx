/** The Quantize panel's options: mode, calibration data, method, int8 format and flags, exclusions, accuracy-aware mode. */
import { Button, Callout, FormGroup, HTMLSelect, InputGroup, NumericInput, SegmentedControl, Switch } from '@blueprintjs/core';
import type { CalibrationMethodDto, QuantFormatDto } from '../../../shared/api/quantize-api';
import { FileField } from '../../components/files/file-field';
import { quantizeSelectors, useStudio } from '../../store';
import { effectiveMode, type QuantMode } from '../../store/quantize-slice';

const METHOD_HELP: Record<CalibrationMethodDto, string> = {
  minmax: 'The observed range: nothing is clipped.',
  percentile: 'Clips the rarest values at a percentile.',
  entropy: 'TensorRT-style: the clip whose quantized histogram is closest (KL divergence). Clips hard on small models.',
  mse: 'The clip minimizing the squared quantization error.',
};

/** The calibration (or validation) data field: a path, the folders found beside the model, upload or the native dialog. */
function DataField({ id, label, value, onChange, randomText }: { id: string; label: string; value: string; onChange: (v: string) => void; randomText: string }) {
  const defaults = useStudio(quantizeSelectors.defaults);
  return (
    <FileField
      id={id}
      label={label}
      value={value}
      onChange={onChange}
      extensions={['npy']}
      folder
      placeholder="random data"
      helperText={value.trim() ? 'A folder of class folders of images, a .npy file, or ONNX test_data_set_* folders.' : randomText}
    >
      {defaults?.calibrationSuggestions.map((s) => (
        <Button key={s.path} size="small" icon="folder-open" text={s.label} active={value === s.path} onClick={() => onChange(s.path)} data-testid={`${id}-suggestion`} />
      ))}
      {value && <Button size="small" variant="minimal" icon="cross" text="Random data" onClick={() => onChange('')} />}
    </FileField>
  );
}

/** Renders the form. */
export function QuantizeOptionsForm() {
  const form = useStudio(quantizeSelectors.form);
  const d = useStudio(quantizeSelectors.defaults);
  const set = useStudio((s) => s.setQuantizeForm);
  const mode = effectiveMode(form, d);
  const int8 = mode !== 'fp16';
  const method = form.method ?? d?.method ?? 'minmax';
  const format = form.format ?? d?.format ?? 'u8s8';
  return (
    <div className="ds-quant-form" data-testid="quantize-form">
      <SegmentedControl
        fill
        value={mode}
        onValueChange={(v) => set({ mode: v as QuantMode })}
        options={[
          { value: 'static', label: 'Static int8' },
          { value: 'dynamic', label: 'Dynamic int8' },
          { value: 'fp16', label: 'Float16' },
        ]}
        data-testid="quantize-mode"
      />
      {d && (
        <div className="ds-muted ds-small" data-testid="quantize-defaults">
          Defaults from {d.source}: {d.mode} suggested ({d.modeReason}).
        </div>
      )}
      {mode !== 'dynamic' && (
        <DataField
          id="quantize-calibration"
          label={mode === 'fp16' ? 'Data to compare float32 and float16 on' : 'Calibration data'}
          value={form.calibrationPath}
          onChange={(v) => set({ calibrationPath: v })}
          randomText={mode === 'fp16' ? 'Random inputs are used for the comparison.' : 'Without data, random inputs calibrate the model: fine for a test, not for deployment.'}
        />
      )}
      {mode === 'static' && (
        <>
          <div className="ds-quant-row">
            <FormGroup label="Calibration method" labelFor="quantize-method" helperText={METHOD_HELP[method]}>
              <HTMLSelect id="quantize-method" value={method} onChange={(e) => set({ method: e.target.value as CalibrationMethodDto })} options={['minmax', 'percentile', 'entropy', 'mse']} data-testid="quantize-method" />
            </FormGroup>
            {method === 'percentile' && (
              <FormGroup label="Percentile" labelFor="quantize-percentile">
                <NumericInput id="quantize-percentile" value={form.percentile} min={90} max={100} stepSize={0.001} minorStepSize={0.0001} onValueChange={(v) => Number.isFinite(v) && set({ percentile: v })} />
              </FormGroup>
            )}
            <FormGroup label="Format" labelFor="quantize-format" helperText="activations × weights">
              <HTMLSelect
                id="quantize-format"
                value={format}
                onChange={(e) => set({ format: e.target.value as QuantFormatDto })}
                options={[
                  { value: 'u8s8', label: 'U8S8' },
                  { value: 's8s8', label: 'S8S8' },
                  { value: 'u8u8', label: 'U8U8' },
                ]}
                data-testid="quantize-format"
              />
            </FormGroup>
          </div>
          <Switch checked={form.symmetric} label="Symmetric activations (keeps Relu/Clip as separate ops; slower on CPU)" onChange={(e) => set({ symmetric: e.currentTarget.checked })} />
        </>
      )}
      {int8 && (
        <>
          <Switch checked={form.perChannel ?? d?.perChannel ?? true} label="Per-channel weight scales" onChange={(e) => set({ perChannel: e.currentTarget.checked })} />
          <Switch
            checked={form.reduceRange ?? (format === 'u8s8' || mode === 'dynamic' ? (d?.reduceRange ?? false) : false)}
            label={`Reduce range: 7-bit weights${d ? ` (default ${d.reduceRange ? 'on' : 'off'}: ${d.reduceRangeReason})` : ''}`}
            onChange={(e) => set({ reduceRange: e.currentTarget.checked })}
            data-testid="quantize-reduce-range"
          />
        </>
      )}
      {mode === 'fp16' && (
        <>
          <Switch checked={form.keepIoTypes} label="Keep float32 inputs and outputs (Cast at the edges)" onChange={(e) => set({ keepIoTypes: e.currentTarget.checked })} />
          <Switch checked={form.mixedFp16} label="Mixed: also keep normalizations, reductions and divisions in float32" onChange={(e) => set({ mixedFp16: e.currentTarget.checked })} />
        </>
      )}
      <FormGroup label="Keep in float" labelFor="quantize-exclude" helperText="Node names or /regex/, comma-separated.">
        <InputGroup id="quantize-exclude" value={form.exclude} placeholder="e.g. /classifier/, conv1" onValueChange={(v) => set({ exclude: v })} />
      </FormGroup>
      {int8 && (
        <>
          <Switch checked={form.accuracyAware} label="Accuracy-aware: keep the most sensitive nodes in float until the metric holds" onChange={(e) => set({ accuracyAware: e.currentTarget.checked })} data-testid="quantize-aware" />
          {form.accuracyAware && (
            <div className="ds-quant-aware">
              <div className="ds-quant-row">
                <FormGroup label="Largest drop" labelFor="quantize-max-drop" helperText={form.maxDropRelative ? 'percent of the float model’s value' : 'percentage points of top-1'}>
                  <NumericInput id="quantize-max-drop" value={form.maxDrop} min={0} max={100} stepSize={0.1} onValueChange={(v) => Number.isFinite(v) && set({ maxDrop: v })} />
                </FormGroup>
                <Switch className="ds-quant-inline" checked={form.maxDropRelative} label="Relative" onChange={(e) => set({ maxDropRelative: e.currentTarget.checked })} />
              </div>
              <DataField id="quantize-eval" label="Validation data" value={form.evalPath} onChange={(v) => set({ evalPath: v })} randomText="Without validation data the calibration data is used (or random inputs: agreement with float)." />
            </div>
          )}
        </>
      )}
      {d && int8 && Object.keys(d.quantizable).length === 0 && (
        <Callout intent="warning" compact data-testid="quantize-nothing">
          This model has no Conv, Gemm or MatMul with float32 weights: int8 quantization has nothing to quantize. Float16 still halves its weights.
        </Callout>
      )}
    </div>
  );
}
