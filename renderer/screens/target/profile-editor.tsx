/** The profile editor: a form over the key fields and the full JSON, validated with the shared schema as you type. */
import { Button, Callout, Dialog, DialogBody, DialogFooter, FormGroup, HTMLSelect, InputGroup, NumericInput, Checkbox, Tab, Tabs, TextArea } from '@blueprintjs/core';
import { useMemo, useState } from 'react';
import { toErrorDto } from '../../../shared/api/errors';
import { DEVICE_CLASSES, EXECUTION_PROVIDERS, PRECISIONS, parseProfile, type Precision, type TargetProfile } from '../../../shared/targets/profile-schema';
import { useStudio } from '../../store';
import { GIB } from '../../../shared/format/bytes';

export interface EditorState {
  /** the profile to start from */
  base: TargetProfile;
  /** true when editing the user's own profile (saving overwrites it) */
  existing: boolean;
}

function copyOf(p: TargetProfile, existing: boolean): TargetProfile {
  const clone = JSON.parse(JSON.stringify(p)) as TargetProfile;
  if (!existing) {
    clone.id = `${p.id}-custom`.slice(0, 63);
    clone.name = `${p.name} (custom)`.slice(0, 100);
  }
  return clone;
}

/** Renders the dialog. */
export function ProfileEditor({ state, onClose }: { state: EditorState; onClose: () => void }) {
  const [draft, setDraft] = useState<TargetProfile>(() => copyOf(state.base, state.existing));
  const [jsonText, setJsonText] = useState<string | null>(null);
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [tab, setTab] = useState<'form' | 'json'>('form');
  const save = useStudio((s) => s.saveProfile);
  const selectTarget = useStudio((s) => s.selectTarget);
  const validation = useMemo(() => parseProfile(draft), [draft]);
  const set = (patch: Partial<TargetProfile>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setSaveError(null);
  };
  const togglePrecision = (p: Precision, on: boolean) => {
    const supported = on ? [...new Set([...draft.precisions.supported, p])] : draft.precisions.supported.filter((x) => x !== p);
    set({ precisions: { ...draft.precisions, supported } });
  };
  const onSave = async () => {
    setSaving(true);
    try {
      const saved = await save(draft, state.existing);
      selectTarget(saved.profile.id);
      onClose();
    } catch (err) {
      setSaveError(toErrorDto(err).message);
    } finally {
      setSaving(false);
    }
  };
  const form = (
    <div className="ds-profile-form">
      <FormGroup label="Id" labelInfo="(file name)" helperText="lower-case letters, digits and dashes">
        <InputGroup value={draft.id} disabled={state.existing} onValueChange={(id) => set({ id })} data-testid="profile-id" />
      </FormGroup>
      <FormGroup label="Name">
        <InputGroup value={draft.name} onValueChange={(name) => set({ name })} data-testid="profile-name" />
      </FormGroup>
      <FormGroup label="Device class">
        <HTMLSelect value={draft.deviceClass} options={[...DEVICE_CLASSES]} onChange={(e) => set({ deviceClass: e.currentTarget.value as TargetProfile['deviceClass'] })} />
      </FormGroup>
      <FormGroup label="Execution providers" helperText={`in priority order, comma-separated: ${EXECUTION_PROVIDERS.join(', ')}`}>
        <InputGroup
          value={draft.executionProviders.join(', ')}
          onValueChange={(v) => set({ executionProviders: v.split(',').map((x) => x.trim()).filter(Boolean) as TargetProfile['executionProviders'] })}
        />
      </FormGroup>
      <div className="ds-profile-row">
        <FormGroup label="Intra-op threads" helperText="0: onnxruntime decides">
          <NumericInput min={0} max={256} value={draft.threads.intraOp} onValueChange={(n) => set({ threads: { ...draft.threads, intraOp: n } })} />
        </FormGroup>
        <FormGroup label="Graph optimization">
          <HTMLSelect value={draft.graphOptimizationLevel} options={['disabled', 'basic', 'extended', 'all']} onChange={(e) => set({ graphOptimizationLevel: e.currentTarget.value as TargetProfile['graphOptimizationLevel'] })} />
        </FormGroup>
      </div>
      <FormGroup label="Precisions" helperText="supported, with peak compute in GOPS (GFLOPS for floats)">
        {PRECISIONS.map((p) => (
          <div key={p} className="ds-profile-precision">
            <Checkbox checked={draft.precisions.supported.includes(p)} label={p} onChange={(e) => togglePrecision(p, e.currentTarget.checked)} />
            <NumericInput
              min={0}
              value={draft.peakGops[p] ?? ''}
              placeholder="GOPS"
              disabled={!draft.precisions.supported.includes(p)}
              onValueChange={(n) => set({ peakGops: { ...draft.peakGops, [p]: Number.isFinite(n) && n > 0 ? n : undefined } })}
              data-testid={`peak-${p}`}
            />
          </div>
        ))}
        <HTMLSelect
          value={draft.precisions.preferred}
          options={[...PRECISIONS].map((p) => ({ value: p, label: `preferred: ${p}` }))}
          onChange={(e) => set({ precisions: { ...draft.precisions, preferred: e.currentTarget.value as Precision } })}
        />
      </FormGroup>
      <div className="ds-profile-row">
        <FormGroup label="Memory budget (GiB)">
          <NumericInput min={0} stepSize={0.5} minorStepSize={0.01} value={+(draft.memoryBudgetBytes / GIB).toFixed(3)} onValueChange={(n) => set({ memoryBudgetBytes: Math.round(n * GIB) })} data-testid="profile-memory" />
        </FormGroup>
        <FormGroup label="Storage budget (GiB)">
          <NumericInput min={0} stepSize={0.5} minorStepSize={0.01} value={+(draft.storageBudgetBytes / GIB).toFixed(3)} onValueChange={(n) => set({ storageBudgetBytes: Math.round(n * GIB) })} />
        </FormGroup>
        <FormGroup label="Bandwidth (GB/s)">
          <NumericInput min={0} value={draft.memoryBandwidthGBs} onValueChange={(n) => set({ memoryBandwidthGBs: n })} />
        </FormGroup>
      </div>
      <FormGroup label="Description" helperText="what the device is and where each figure comes from">
        <TextArea fill rows={4} value={draft.description} onChange={(e) => set({ description: e.currentTarget.value })} />
      </FormGroup>
    </div>
  );
  const json = (
    <div>
      <TextArea
        fill
        rows={22}
        className="ds-mono"
        value={jsonText ?? JSON.stringify(draft, null, 2)}
        data-testid="profile-json"
        onChange={(e) => {
          const text = e.currentTarget.value;
          setJsonText(text);
          try {
            setDraft(JSON.parse(text) as TargetProfile);
            setJsonError(null);
          } catch (err) {
            setJsonError(`Not valid JSON: ${(err as Error).message}`);
          }
        }}
      />
    </div>
  );
  const problem = jsonError ?? (validation.ok ? null : `Cannot save: ${validation.message}.`);
  return (
    <Dialog isOpen onClose={onClose} title={state.existing ? `Edit ${state.base.name}` : `New profile from ${state.base.name}`} icon="edit" className="ds-profile-dialog">
      <DialogBody>
        <Tabs
          id="profile-editor-tabs"
          selectedTabId={tab}
          onChange={(t) => {
            setTab(t as 'form' | 'json');
            setJsonText(null);
          }}
        >
          <Tab id="form" title="Form" panel={form} />
          <Tab id="json" title="JSON (all fields)" panel={json} />
        </Tabs>
        {problem && (
          <Callout intent="warning" icon="warning-sign" data-testid="profile-invalid">
            {problem}
          </Callout>
        )}
        {saveError && (
          <Callout intent="danger" icon="error" data-testid="profile-save-error">
            {saveError}
          </Callout>
        )}
      </DialogBody>
      <DialogFooter
        actions={
          <>
            <Button onClick={onClose}>Cancel</Button>
            <Button intent="primary" icon="floppy-disk" disabled={Boolean(problem) || saving} loading={saving} onClick={() => void onSave()} data-testid="profile-save">
              Save profile
            </Button>
          </>
        }
      />
    </Dialog>
  );
}
