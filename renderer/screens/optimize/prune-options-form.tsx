/** The Prune panel's options: method, amount, criterion, scope, skip list and calibration data. */
import { Button, Callout, FormGroup, HTMLSelect, SegmentedControl, Slider, Switch, TagInput } from '@blueprintjs/core';
import { FileField } from '../../components/files/file-field';
import { pruneSelectors, useStudio, variantSelectors } from '../../store';

const pct = (v: number) => `${Math.round(v * 100)}\u00a0%`;
/** Axis labels only: the value is in the field's label above the slider. */
const axisLabel = (v: number, opts?: { isHandleTooltip: boolean }) => (opts?.isHandleTooltip ? '' : pct(v));

/** @returns the folder of a file path (either separator). */
function dirOf(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i > 0 ? p.slice(0, i) : p;
}

function CalibrationField() {
  const form = useStudio(pruneSelectors.form);
  const setForm = useStudio((s) => s.setPruneForm);
  const original = useStudio((s) => variantSelectors.variants(s)[0]);
  const sep = original?.path.includes('\\') ? '\\' : '/';
  return (
    <FileField
      id="prune-calibration"
      label="Calibration data"
      value={form.calibrationPath}
      onChange={(v) => setForm({ calibrationPath: v })}
      extensions={['npy']}
      folder
      placeholder="none (optional)"
      helperText="A folder of images (class folders welcome), a .npy file or ONNX test_data_set_* folders. Used to measure the output error, rank channels by activation, and re-fit layers. Never score on the images you calibrate with."
    >
      {original && <Button size="small" icon="folder-open" text="Images beside the model" onClick={() => setForm({ calibrationPath: `${dirOf(original.path)}${sep}images` })} />}
      {form.calibrationPath && <Button size="small" variant="minimal" icon="cross" text="No calibration data" onClick={() => setForm({ calibrationPath: '' })} />}
    </FileField>
  );
}

function ChannelFields() {
  const o = useStudio((s) => s.prune.form.channel);
  const hasData = useStudio((s) => s.prune.form.calibrationPath.trim() !== '');
  const set = useStudio((s) => s.setPruneOptions);
  const up = (p: Parameters<typeof set>[1]) => set('channel', p);
  const rounding = useStudio(pruneSelectors.preview)?.rounding;
  const targetLabel = rounding && rounding.from !== 'user' ? `the target's multiple (${rounding.multiple}${rounding.isa ? `, ${rounding.isa}` : ''})` : "the target's multiple";
  return (
    <>
      <FormGroup label={`Remove ${pct(o.sparsity ?? 0.3)} of the ${o.global ? (o.target === 'channels' ? 'channels (ranked over the whole model)' : o.target === 'params' ? 'parameters' : 'MACs') : 'channels of every coupled group'}`}>
        <Slider min={0} max={0.9} stepSize={0.05} labelValues={[0, 0.3, 0.5, 0.7, 0.9]} labelRenderer={axisLabel} value={o.sparsity ?? 0.3} onChange={(v) => up({ sparsity: v })} data-testid="prune-sparsity" />
      </FormGroup>
      <div className="ds-prune-row">
        <FormGroup label="Importance" labelFor="prune-criterion">
          <HTMLSelect
            id="prune-criterion"
            value={o.criterion}
            onChange={(e) => up({ criterion: e.target.value as 'l1' | 'l2' | 'activation' })}
            options={[
              { value: 'l2', label: 'L2 norm of the group' },
              { value: 'l1', label: 'L1 norm of the group' },
              { value: 'activation', label: 'Activations × weights (needs data)', disabled: !hasData },
            ]}
          />
        </FormGroup>
        <FormGroup label="Scope" labelFor="prune-scope">
          <HTMLSelect
            id="prune-scope"
            value={o.global ? o.target : 'layer'}
            onChange={(e) => (e.target.value === 'layer' ? up({ global: false }) : up({ global: true, target: e.target.value as 'channels' | 'params' | 'macs' }))}
            options={[
              { value: 'layer', label: 'Same ratio in every group' },
              { value: 'channels', label: 'Global: channels' },
              { value: 'params', label: 'Global: parameters' },
              { value: 'macs', label: 'Global: MACs' },
            ]}
          />
        </FormGroup>
        <FormGroup label="Round kept channels to" labelFor="prune-round">
          <HTMLSelect
            id="prune-round"
            value={o.roundTo ?? 0}
            onChange={(e) => up({ roundTo: Number(e.target.value) || undefined })}
            options={[0, 1, 4, 8, 16, 32].map((n) => ({ value: n, label: n === 0 ? targetLabel : n === 1 ? 'no rounding' : `multiples of ${n}` }))}
            data-testid="prune-round"
          />
        </FormGroup>
      </div>
      <Switch checked={o.foldBatchNorm !== false} label="Fold BatchNormalization into the layer before it" onChange={(e) => up({ foldBatchNorm: e.currentTarget.checked })} />
      <Switch checked={Boolean(o.recover) && hasData} disabled={!hasData} label="Recover: re-fit the layers after the cut by least squares on the calibration data (no training)" onChange={(e) => up({ recover: e.currentTarget.checked })} data-testid="prune-recover" />
    </>
  );
}

function MagnitudeFields() {
  const o = useStudio((s) => s.prune.form.magnitude);
  const set = useStudio((s) => s.setPruneOptions);
  const up = (p: Parameters<typeof set>[1]) => set('magnitude', p);
  return (
    <>
      <Callout intent="primary" compact icon="compressed">
        Zeros pay off in a compressed package (and on sparse kernels), not in dense kernels: the model keeps its size and speed in
        memory, but its deflated package shrinks.
      </Callout>
      <FormGroup label={o.nm ? `Pattern ${o.nm}: ${pct(1 - Number(o.nm.split(':')[0]) / Number(o.nm.split(':')[1]))} zeros` : `Zero ${pct(o.sparsity ?? 0.5)} of the weights${o.global ? ' (one threshold for all layers)' : ' of every layer'}`}>
        <Slider min={0} max={0.95} stepSize={0.05} labelValues={[0, 0.25, 0.5, 0.75, 0.95]} labelRenderer={axisLabel} value={o.sparsity ?? 0.5} disabled={Boolean(o.nm)} onChange={(v) => up({ sparsity: v })} />
      </FormGroup>
      <div className="ds-prune-row">
        <FormGroup label="Pattern" labelFor="prune-nm">
          <HTMLSelect id="prune-nm" value={o.nm ?? ''} onChange={(e) => up({ nm: e.target.value || undefined })} options={[{ value: '', label: 'Unstructured' }, { value: '2:4', label: '2:4 (N:M)' }, { value: '1:4', label: '1:4 (N:M)' }, { value: '4:8', label: '4:8 (N:M)' }]} />
        </FormGroup>
        <Switch className="ds-prune-inline-switch" checked={Boolean(o.global)} disabled={Boolean(o.nm)} label="Global threshold" onChange={(e) => up({ global: e.currentTarget.checked })} />
      </div>
    </>
  );
}

/** Renders the form. */
export function PruneOptionsForm() {
  const form = useStudio(pruneSelectors.form);
  const setForm = useStudio((s) => s.setPruneForm);
  const set = useStudio((s) => s.setPruneOptions);
  const skip = (form.method === 'channel' ? form.channel.skip : form.magnitude.skip) ?? [];
  return (
    <div className="ds-prune-form" data-testid="prune-form">
      <SegmentedControl
        value={form.method}
        onValueChange={(v) => setForm({ method: v as 'channel' | 'magnitude' })}
        options={[
          { value: 'channel', label: 'Channels (structured)' },
          { value: 'magnitude', label: 'Magnitude (sparse)' },
        ]}
        data-testid="prune-method"
      />
      {form.method === 'channel' ? <ChannelFields /> : <MagnitudeFields />}
      <FormGroup label="Layers to skip" helperText={form.method === 'channel' ? 'Node names or patterns with *; a skipped layer keeps every layer coupled to it too.' : 'Node names or patterns with *.'}>
        <TagInput values={skip} onChange={(values) => set(form.method, { skip: values.map(String) })} placeholder="e.g. /conv1/Conv or *downsample*" addOnBlur fill />
      </FormGroup>
      <CalibrationField />
    </div>
  );
}
