/** The package options: format, output folder, and the fields of the chosen format; the Package button. */
import { Button, Card, FormGroup, H5, HTMLSelect, InputGroup, NumericInput, SegmentedControl, Switch } from '@blueprintjs/core';
import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { PackageFormat } from '../../../shared/api/package-api';
import { studioClient } from '../../services';
import { packageSelectors, useStudio } from '../../store';
import { AppFields } from './app-fields';
import { issueFor, issueProps } from './field-issues';

const FORMATS: Array<{ value: PackageFormat; label: string; hint: string }> = [
  { value: 'app', label: 'Desktop app', hint: 'An Electron + React project that runs the model on dropped images, with electron-builder installers for Windows, Linux and macOS.' },
  { value: 'bundle', label: 'Runtime bundle', hint: 'A folder and a .zip: the model, its config and labels, and a Node runner (node run.js image.png) with a README.' },
  { value: 'triton', label: 'Triton repository', hint: 'config.pbtxt and 1/model.onnx for NVIDIA Triton (or KServe), with batching and instance groups from a target.' },
];

/** The target profiles (Triton instance groups; the bundle's measured session settings). */
function useTargets(): Array<{ id: string; name: string }> {
  const [targets, setTargets] = useState<Array<{ id: string; name: string }>>([]);
  useEffect(() => {
    let live = true;
    studioClient()
      .api.listTargets({})
      .then((t) => live && setTargets(t.targets.map((e) => ({ id: e.profile.id, name: e.profile.name }))))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return targets;
}

function TargetField({ help }: { help: string }) {
  const form = useStudio(useShallow(packageSelectors.form));
  const plan = useStudio(packageSelectors.plan);
  const set = useStudio((s) => s.setPackageForm);
  const targets = useTargets();
  return (
    <FormGroup label="Target profile" labelFor="package-target" {...issueProps(issueFor('targetId', form, plan), help)}>
      <HTMLSelect
        id="package-target"
        value={form.targetId}
        onChange={(e) => set({ targetId: e.currentTarget.value })}
        options={[{ value: '', label: 'none' }, ...targets.map((t) => ({ value: t.id, label: t.name }))]}
        data-testid="package-target"
      />
    </FormGroup>
  );
}

function BundleFields() {
  const form = useStudio(useShallow(packageSelectors.form));
  const plan = useStudio(packageSelectors.plan);
  const set = useStudio((s) => s.setPackageForm);
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <Switch checked={form.zip} label="Also write a .zip beside the folder" onChange={(e) => set({ zip: e.currentTarget.checked })} data-testid="package-zip" />
      <Switch checked={form.measure} label="Measure latency here for the README" onChange={(e) => set({ measure: e.currentTarget.checked })} />
      {form.measure && <TargetField help="Its session settings are used for the measurement." />}
      <FormGroup label="Comparison report" labelFor="package-report" {...issueProps(issueFor('reportPaths', form, plan), 'An HTML, JSON or CSV report from the Compare place, copied into reports/.')}>
        <div className="ds-package-row">
          <InputGroup id="package-report" readOnly value={form.reportPath ? form.reportPath.split(/[\\/]/).pop() : ''} placeholder="none" />
          <Button icon="document" onClick={() => input.current?.click()}>
            Choose…
          </Button>
          {form.reportPath && <Button icon="cross" variant="minimal" aria-label="No report" onClick={() => set({ reportPath: '' })} />}
        </div>
        <input
          ref={input}
          type="file"
          accept=".html,.json,.csv,.md"
          hidden
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void studioClient().host.acceptDroppedFiles([file]).then((p) => p && set({ reportPath: p }));
          }}
        />
      </FormGroup>
    </>
  );
}

function TritonFields() {
  const form = useStudio(useShallow(packageSelectors.form));
  const plan = useStudio(packageSelectors.plan);
  const set = useStudio((s) => s.setPackageForm);
  return (
    <>
      <div className="ds-package-grid">
        <FormGroup label="Model name" labelFor="package-triton-name" {...issueProps(issueFor('tritonName', form, plan), 'The model\u2019s folder in the repository.')}>
          <InputGroup id="package-triton-name" value={form.tritonName} placeholder={plan?.triton?.modelName ?? ''} onValueChange={(tritonName) => set({ tritonName })} data-testid="package-triton-name" />
        </FormGroup>
        <FormGroup label="Max batch size" labelFor="package-max-batch" helperText={plan?.triton && !plan.triton.dynamicBatch ? 'The batch dim is fixed: batching is off.' : 'Used when the batch dim is dynamic.'}>
          <NumericInput id="package-max-batch" min={1} max={65536} value={form.maxBatchSize} onValueChange={(v) => Number.isInteger(v) && v >= 1 && set({ maxBatchSize: v })} fill />
        </FormGroup>
      </div>
      <TargetField help="Instance groups (GPU or CPU), accelerators and threads come from the profile." />
    </>
  );
}

/** Renders the options card. */
export function PackageFormView() {
  const form = useStudio(useShallow(packageSelectors.form));
  const plan = useStudio(packageSelectors.plan);
  const jobId = useStudio(packageSelectors.jobId);
  const set = useStudio((s) => s.setPackageForm);
  const run = useStudio((s) => s.runPackage);
  const host = studioClient().host;
  const format = FORMATS.find((f) => f.value === form.format) ?? FORMATS[0];
  const result = useStudio(packageSelectors.result);
  const planned = issueFor('outDir', form, plan);
  // the folder just written is no error: packaging again there is a choice (the switch below)
  const justWritten = Boolean(result && plan && result.outDir === plan.outDir && planned?.severity === 'error' && plan.outDirExists);
  const outIssue = justWritten ? null : planned;
  return (
    <Card className="ds-package-card" data-testid="package-form">
      <H5>Format</H5>
      <SegmentedControl
        options={FORMATS.map((f) => ({ value: f.value, label: f.label }))}
        value={form.format}
        onValueChange={(v) => set({ format: v as PackageFormat, outDir: '', overwrite: false })}
        fill
        data-testid="package-format"
      />
      <p className="ds-muted ds-package-hint">{format.hint}</p>
      <FormGroup label={form.format === 'triton' ? 'Repository folder' : 'Output folder'} labelFor="package-out" {...issueProps(outIssue, justWritten ? 'The package was just written here. To write it again, turn on "Replace the earlier output there", or choose another folder.' : plan?.outDirExists ? (form.overwrite ? 'It exists and will be replaced.' : 'It exists: replace it or choose another folder.') : 'Created when the package is complete.')}>
        <div className="ds-package-row">
          <InputGroup id="package-out" value={form.outDir} placeholder={plan?.outDir ?? ''} onValueChange={(outDir) => set({ outDir })} data-testid="package-out" />
          {host.pickFolder && (
            <Button icon="folder-open" onClick={() => void host.pickFolder?.('Output folder').then((p) => p && set({ outDir: p }))}>
              Choose…
            </Button>
          )}
        </div>
      </FormGroup>
      {(plan?.outDirExists || form.overwrite) && (
        <Switch checked={form.overwrite} label="Replace the earlier output there" onChange={(e) => set({ overwrite: e.currentTarget.checked })} data-testid="package-overwrite" />
      )}
      {form.format === 'app' && <AppFields />}
      {form.format === 'bundle' && <BundleFields />}
      {form.format === 'triton' && <TritonFields />}
      <div className="ds-package-actions">
        <Button
          intent="primary"
          icon="box"
          size="large"
          disabled={!plan?.ok || Boolean(jobId) || Boolean(plan?.build && !plan.build.ready)}
          loading={Boolean(jobId)}
          onClick={() => void run()}
          data-testid="package-run"
        >
          {form.format === 'app' ? (form.build ? 'Write and build' : 'Write the project') : form.format === 'bundle' ? 'Write the bundle' : 'Write the repository'}
        </Button>
      </div>
    </Card>
  );
}
