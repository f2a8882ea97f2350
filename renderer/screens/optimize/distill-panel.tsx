/** The distillation panel: the variant being worked on trained to match the family's original on the user's data. */
import { Button, Callout, FormGroup, HTMLSelect, HTMLTable, NumericInput } from '@blueprintjs/core';
import { useEffect, useRef, useState } from 'react';
import type { VariantDto } from '../../../shared/api/variants-api';
import { formatCount } from '../../../shared/format/count';
import { FileField } from '../../components/files/file-field';
import { jobSelectors, useStudio, variantSelectors } from '../../store';
import { DistillChart, type EpochPoint, type LossPoint } from './distill-chart';
import './distill.css';

/** What the distill pass reports (the engine's DistillReport, as the renderer reads it). */
interface DistillReportView {
  teacher: string;
  trainItems: number;
  trainable: { tensors: number; params: number };
  before: { items: number; top1: number | null; agreement: number } | null;
  epochs: Array<{ epoch: number; trainLoss: number; itemsPerSecond: number; val: { items: number; top1: number | null; agreement: number } | null }>;
  keptEpoch: number;
}

const STAGE = /epoch (\d+) of (\d+): step (\d+) of (\d+), loss ([\d.eE+-]+)/;
const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(2)}\u00a0%`);

/** @returns the family's original (the teacher by default). */
function originalOf(variants: readonly VariantDto[], selected: VariantDto | null): VariantDto | null {
  if (!selected) return null;
  return variants.find((v) => v.id === selected.rootId) ?? null;
}

/** Collects the live loss curve from the running job's progress. */
function useLiveLoss(jobId: string | null): LossPoint[] {
  const job = useStudio(jobSelectors.job(jobId ?? ''));
  const [points, setPoints] = useState<LossPoint[]>([]);
  const last = useRef('');
  useEffect(() => {
    if (jobId) setPoints([]);
  }, [jobId]);
  useEffect(() => {
    const m = job?.stage ? STAGE.exec(job.stage) : null;
    if (!m || job?.stage === last.current) return;
    last.current = job?.stage ?? '';
    const epoch = Number(m[1]) - 1 + Number(m[3]) / Number(m[4]);
    setPoints((p) => [...p, { epoch, loss: Number(m[5]) }]);
  }, [job?.stage]);
  return points;
}

/** Renders the panel. */
export function DistillPanel() {
  const variants = useStudio(variantSelectors.variants);
  const selected = useStudio(variantSelectors.selected);
  const shown = useStudio(variantSelectors.shown);
  const runPasses = useStudio((s) => s.runPasses);
  const jobId = useStudio(variantSelectors.optimizeJobId);
  const original = originalOf(variants, selected);
  const [data, setData] = useState('');
  const [val, setVal] = useState('');
  const [epochs, setEpochs] = useState(5);
  const [lr, setLr] = useState(0.003);
  const [temperature, setTemperature] = useState(4);
  const [batch, setBatch] = useState(64);
  const [optimizer, setOptimizer] = useState<'adam' | 'sgd'>('adam');
  const live = useLiveLoss(jobId);
  const report = (shown?.reports.distill ?? null) as DistillReportView | null;
  const isOriginal = selected !== null && selected.id === selected.rootId;
  const problem = !original ? 'Open a model first.' : isOriginal ? 'Pick a variant to train (a pruned or converted one) in the variant list: the original is the teacher.' : !data ? 'Choose the training data.' : null;
  const run = () =>
    void runPasses(
      [
        {
          pass: 'distill',
          options: { teacher: original?.path, data: { path: data }, ...(val ? { val: { path: val } } : {}), epochs, learningRate: lr, temperature, batch, optimizer },
        },
      ],
      'distilled',
    );
  const epochPoints: EpochPoint[] = report
    ? [...(report.before ? [{ epoch: 0, trainLoss: NaN, top1: report.before.top1, agreement: report.before.agreement }] : []), ...report.epochs.map((e) => ({ epoch: e.epoch, trainLoss: e.trainLoss, top1: e.val?.top1 ?? null, agreement: e.val?.agreement ?? null }))]
    : [];
  return (
    <div className="ds-optimize-panel" data-testid="distill-panel">
      <p className="ds-muted">
        Trains the variant you work on to give the same outputs as the original (knowledge distillation): it wins back accuracy that pruning cost. The original labels the
        training data, so no labels are needed. The result is a new variant; no file is changed.
      </p>
      <FormGroup label="Teacher" helperText="The family’s original.">
        <span data-testid="distill-teacher">{original?.name ?? '—'}</span>
      </FormGroup>
      <FileField id="distill-data" label="Training data" value={data} onChange={setData} extensions={['npy']} folder placeholder="a folder of images or a .npy file" helperText="Images (class folders welcome) or a .npy of model-ready inputs. Keep your test images out of it." testId="distill-data" />
      <FileField id="distill-val" label="Validation data" value={val} onChange={setVal} extensions={['npy']} folder placeholder="none (optional)" helperText="Held-out data checked after each epoch; the best epoch is kept. With class folders, top-1 is measured; otherwise agreement with the teacher." testId="distill-val" />
      <div className="ds-distill-row">
        <FormGroup label="Epochs" labelFor="distill-epochs">
          <NumericInput id="distill-epochs" min={1} max={500} value={epochs} onValueChange={(v) => Number.isFinite(v) && setEpochs(v)} data-testid="distill-epochs" />
        </FormGroup>
        <FormGroup label="Learning rate" labelFor="distill-lr">
          <NumericInput id="distill-lr" min={0.00001} max={1} stepSize={0.001} minorStepSize={0.00001} value={lr} onValueChange={(v) => Number.isFinite(v) && v > 0 && setLr(v)} data-testid="distill-lr" />
        </FormGroup>
        <FormGroup label="Temperature" labelFor="distill-temperature">
          <NumericInput id="distill-temperature" min={0.5} max={20} stepSize={0.5} value={temperature} onValueChange={(v) => Number.isFinite(v) && v > 0 && setTemperature(v)} data-testid="distill-temperature" />
        </FormGroup>
        <FormGroup label="Batch" labelFor="distill-batch">
          <NumericInput id="distill-batch" min={1} max={4096} value={batch} onValueChange={(v) => Number.isFinite(v) && setBatch(v)} data-testid="distill-batch" />
        </FormGroup>
        <FormGroup label="Optimizer" labelFor="distill-optimizer">
          <HTMLSelect id="distill-optimizer" value={optimizer} onChange={(e) => setOptimizer(e.target.value as 'adam' | 'sgd')} options={[{ value: 'adam', label: 'Adam' }, { value: 'sgd', label: 'SGD, momentum 0.9' }]} />
        </FormGroup>
      </div>
      {problem && (
        <Callout compact intent="primary" icon="info-sign" data-testid="distill-problem">
          {problem}
        </Callout>
      )}
      <Button intent="primary" icon="learning" disabled={Boolean(problem)} loading={jobId !== null} onClick={run} data-testid="run-distill">
        Distil into a new variant
      </Button>
      {(live.length > 0 || report) && (
        <div className="ds-distill-result" data-testid="distill-curves">
          <DistillChart loss={live} epochs={epochPoints} valItems={report?.before?.items ?? null} />
        </div>
      )}
      {report && (
        <div data-testid="distill-report">
          <p>
            Trained {formatCount(report.trainable.params)} weights in {report.trainable.tensors} tensors on {formatCount(report.trainItems)} items from {report.teacher}; epoch{' '}
            {report.keptEpoch} kept.
          </p>
          <div className="ds-distill-table">
            <HTMLTable compact striped>
              <thead>
                <tr>
                  <th>epoch</th>
                  <th>loss</th>
                  <th>items/s</th>
                  <th>validation top-1</th>
                  <th>agreement with the teacher</th>
                  <th>validation items</th>
                </tr>
              </thead>
              <tbody>
                {report.before && (
                  <tr>
                    <td>before</td>
                    <td />
                    <td />
                    <td>{pct(report.before.top1)}</td>
                    <td>{pct(report.before.agreement)}</td>
                    <td>{report.before.items}</td>
                  </tr>
                )}
                {report.epochs.map((e) => (
                  <tr key={e.epoch} data-testid={`distill-epoch-${e.epoch}`}>
                    <td>
                      {e.epoch}
                      {e.epoch === report.keptEpoch ? ' (kept)' : ''}
                    </td>
                    <td>{e.trainLoss.toFixed(4)}</td>
                    <td>{Math.round(e.itemsPerSecond)}</td>
                    <td>{pct(e.val?.top1)}</td>
                    <td>{pct(e.val?.agreement)}</td>
                    <td>{e.val?.items ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </HTMLTable>
          </div>
          {report.before && report.before.items < 100 && (
            <Callout compact intent="warning" icon="warning-sign">
              Validation used {report.before.items} items: figures that small move by several points from one item to the next.
            </Callout>
          )}
        </div>
      )}
    </div>
  );
}
