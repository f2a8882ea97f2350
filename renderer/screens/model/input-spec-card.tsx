/** The input spec editor: every input's sizes and how its data is made, with the studio's guesses marked as guesses. */
import { Button, Callout, Card, H5, HTMLSelect, HTMLTable, InputGroup, NumericInput, Tag } from '@blueprintjs/core';
import { useEffect, useMemo, useState } from 'react';
import type { InputRule, InputSpec, ResolvedInputDto, SpecOrigin } from '../../../shared/api/input-spec';
import { inputSpecSelectors, useStudio } from '../../store';

type FillKind = 'random' | 'value' | 'range' | 'zeros';

/** One input being edited: its axis sizes (null = not set by the user) and its fill. */
interface Draft {
  sizes: Array<number | null>;
  kind: FillKind;
  value: string;
  low: string;
  high: string;
}

function OriginTag({ origin, why }: { origin: SpecOrigin; why?: string }) {
  if (origin === 'guess') {
    return (
      <Tag minimal intent="warning" title={why ? `a guess: ${why}` : 'a guess'} data-testid="spec-guess">
        guess
      </Tag>
    );
  }
  if (origin === 'spec') return <Tag minimal intent="primary">set</Tag>;
  return null;
}

function draftOf(r: ResolvedInputDto, rule: InputRule | undefined, dims: Record<string, number>): Draft {
  const sizes = r.axes.map((a) => (a.symbol === null ? a.value : (rule?.shape?.[a.axis] ?? dims[a.symbol] ?? null)));
  const f = rule && (rule.value !== undefined || rule.range || rule.zeros) ? r.fill : null;
  const kind: FillKind = f?.kind === 'value' || f?.kind === 'range' || f?.kind === 'zeros' ? f.kind : 'random';
  return {
    sizes,
    kind,
    value: f?.kind === 'value' ? String(Array.isArray(f.value) ? f.value.join(', ') : f.value) : '',
    low: f?.kind === 'range' ? String(f.low) : '',
    high: f?.kind === 'range' ? String(f.high) : '',
  };
}

/** @returns the spec the drafts describe (only what the user set; the rest stays guessed). */
function specOf(resolved: readonly ResolvedInputDto[], drafts: Record<string, Draft>, keepFiles: InputSpec['inputs']): InputSpec {
  const inputs: InputSpec['inputs'] = {};
  const dims: Record<string, number> = {};
  for (const r of resolved) {
    const d = drafts[r.name];
    if (!d) continue;
    const rule: InputRule = {};
    r.axes.forEach((a, i) => {
      const v = d.sizes[i];
      if (a.symbol !== null && v !== null && v > 0) dims[a.symbol] = v;
    });
    if (d.kind === 'value' && d.value.trim()) {
      const values = d.value.split(/[\s,]+/).filter(Boolean).map(Number);
      if (values.every(Number.isFinite)) rule.value = values.length === 1 ? values[0] : values;
    } else if (d.kind === 'range' && d.low.trim() && d.high.trim()) {
      rule.range = [Number(d.low), Number(d.high)];
    } else if (d.kind === 'zeros') {
      rule.zeros = true;
    } else if (keepFiles[r.name]?.file) {
      rule.file = keepFiles[r.name].file;
    }
    if (Object.keys(rule).length) inputs[r.name] = rule;
  }
  return { inputs, dims };
}

/** Renders the card (nothing until the spec of the open model is loaded). */
export function InputSpecCard({ modelId }: { modelId: string }) {
  const state = useStudio(inputSpecSelectors.state);
  const loadedFor = useStudio(inputSpecSelectors.modelId);
  const saving = useStudio(inputSpecSelectors.saving);
  const error = useStudio(inputSpecSelectors.error);
  const load = useStudio((s) => s.loadInputSpec);
  const save = useStudio((s) => s.saveInputSpec);
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  useEffect(() => {
    if (loadedFor !== modelId) void load(modelId);
  }, [modelId, loadedFor, load]);
  const initial = useMemo(() => {
    if (!state) return {};
    return Object.fromEntries(state.resolved.map((r) => [r.name, draftOf(r, state.spec.inputs[r.name], state.spec.dims)]));
  }, [state]);
  useEffect(() => setDrafts(initial), [initial]);
  if (!state || state.modelId !== modelId) return null;
  const dirty = JSON.stringify(drafts) !== JSON.stringify(initial);
  const patch = (name: string, p: Partial<Draft>) => setDrafts((all) => ({ ...all, [name]: { ...all[name], ...p } }));
  const guessed = state.resolved.some((r) => r.fillOrigin === 'guess' || r.axes.some((a) => a.origin === 'guess'));
  const symbolic = state.resolved.some((r) => r.axes.some((a) => a.symbol !== null) || r.fill.kind !== 'random');
  return (
    <Card className="ds-card ds-card-wide" data-testid="input-spec">
      <H5>
        Input spec{' '}
        <span className="ds-muted">— the sizes and values used when the studio makes inputs up (benchmarks, calibration without data, checks)</span>
      </H5>
      {guessed && (
        <Callout intent="warning" compact icon="help" data-testid="input-spec-guessed">
          Some sizes or values are guesses. Check them against what the model expects: a wrong guess makes runs fail or figures meaningless.
        </Callout>
      )}
      {!symbolic && <p className="ds-muted">Every input has a fixed size and takes free data: nothing to set.</p>}
      <HTMLTable compact className="ds-table ds-spec-table">
        <thead>
          <tr>
            <th>Input</th>
            <th>Type</th>
            <th>Sizes</th>
            <th>Data when none is given</th>
          </tr>
        </thead>
        <tbody>
          {state.resolved.map((r) => {
            const d = drafts[r.name];
            if (!d) return null;
            return (
              <tr key={r.name} data-testid="spec-input" data-input={r.name}>
                <td className="ds-mono">{r.name}</td>
                <td className="ds-mono">{r.dtype}</td>
                <td>
                  <div className="ds-spec-axes">
                    {r.axes.length === 0 && <span className="ds-muted">scalar</span>}
                    {r.axes.map((a, i) =>
                      a.symbol === null ? (
                        <Tag key={a.axis} minimal className="ds-mono" title={`axis ${a.axis}: fixed by the model`}>
                          {a.value}
                        </Tag>
                      ) : (
                        <span key={a.axis} className="ds-spec-axis" title={`${a.symbol}: ${a.origin === 'guess' ? `guessed ${a.value} (${a.why ?? ''})` : a.value}`}>
                          <span className="ds-muted ds-mono">{a.symbol}</span>
                          <NumericInput
                            size="small"
                            min={1}
                            value={d.sizes[i] ?? ''}
                            placeholder={String(a.value)}
                            onValueChange={(v) => patch(r.name, { sizes: d.sizes.map((s, j) => (j === i ? (Number.isFinite(v) && v > 0 ? Math.floor(v) : null) : s)) })}
                            buttonPosition="none"
                            className="ds-spec-size"
                            data-testid={`spec-dim-${a.symbol}`}
                          />
                          <OriginTag origin={d.sizes[i] !== null ? 'spec' : a.origin} why={a.why} />
                        </span>
                      ),
                    )}
                  </div>
                </td>
                <td>
                  <div className="ds-spec-fill">
                    <HTMLSelect
                      value={d.kind}
                      onChange={(e) => patch(r.name, { kind: e.currentTarget.value as FillKind })}
                      options={[
                        { value: 'random', label: r.fillOrigin === 'guess' && d.kind === 'random' ? 'the guess' : 'random' },
                        { value: 'value', label: 'fixed value' },
                        { value: 'range', label: 'random in a range' },
                        { value: 'zeros', label: 'zeros' },
                      ]}
                      data-testid={`spec-fill-${r.name}`}
                    />
                    {d.kind === 'value' && <InputGroup small value={d.value} placeholder="16000, or 1, 2, 3" onValueChange={(v) => patch(r.name, { value: v })} data-testid={`spec-value-${r.name}`} />}
                    {d.kind === 'range' && (
                      <>
                        <InputGroup small value={d.low} placeholder="low" onValueChange={(v) => patch(r.name, { low: v })} />
                        <InputGroup small value={d.high} placeholder="high" onValueChange={(v) => patch(r.name, { high: v })} />
                      </>
                    )}
                    {d.kind === 'random' && r.fillOrigin === 'guess' && (
                      <span className="ds-muted" data-testid={`spec-fill-guess-${r.name}`}>
                        {r.fill.kind === 'value' ? `value ${String(r.fill.value)}` : r.fill.kind === 'range' ? `random in [${r.fill.low}, ${r.fill.high}]` : r.fill.kind} <OriginTag origin="guess" why={r.fillWhy} />
                      </span>
                    )}
                    {d.kind === 'random' && r.fillOrigin === 'spec' && r.fill.kind === 'file' && <span className="ds-mono ds-muted">{r.fill.file}</span>}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </HTMLTable>
      {error && (
        <Callout intent="danger" compact icon="error" data-testid="input-spec-error">
          {error.message}
        </Callout>
      )}
      <div className="ds-spec-actions">
        <Button intent="primary" icon="floppy-disk" disabled={!dirty} loading={saving} onClick={() => void save(specOf(state.resolved, drafts, state.spec.inputs))} data-testid="spec-save">
          Save for this model and its variants
        </Button>
        <Button icon="reset" disabled={!dirty} onClick={() => setDrafts(initial)}>
          Revert
        </Button>
        <span className="ds-muted">
          CLI: <code>--input-spec FILE</code> or <code>--dim NAME=N</code> (<code>--dim INPUT:AXIS=N</code> for an unnamed size)
        </span>
      </div>
    </Card>
  );
}
