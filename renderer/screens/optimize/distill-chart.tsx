/** Curves of a distillation: the training loss step by step (live), and validation figures per epoch. */
import { useMemo } from 'react';
import { EChart, type ChartOption } from '../../components/echart';
import { uiSelectors, useStudio } from '../../store';

export interface LossPoint {
  /** position in the run, in epochs (1.5 = half-way through the second epoch) */
  epoch: number;
  loss: number;
}

export interface EpochPoint {
  epoch: number;
  trainLoss: number;
  top1: number | null;
  agreement: number | null;
}

/** Renders the loss (left axis) and the validation top-1 / agreement (right axis, %). */
export function DistillChart({ loss, epochs, valItems }: { loss: LossPoint[]; epochs: EpochPoint[]; valItems: number | null }) {
  const dark = useStudio(uiSelectors.theme) === 'dark';
  const option = useMemo<ChartOption>(
    () => ({
      animation: false,
      grid: { left: 8, right: 16, top: 56, bottom: 28, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => (typeof v === 'number' ? v.toFixed(4) : String(v)) },
      xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 26, min: 0, minInterval: 1 },
      yAxis: [
        { type: 'value', name: 'loss', scale: true },
        { type: 'value', name: `validation %${valItems ? ` (${valItems} items)` : ''}`, nameTextStyle: { align: 'right' }, min: (v: { min: number }) => Math.floor(v.min - 1), max: 100, splitLine: { show: false } },
      ],
      series: [
        { name: 'training loss', type: 'line', showSymbol: false, data: loss.map((p) => [p.epoch, p.loss]) },
        ...(epochs.some((e) => e.top1 !== null)
          ? [{ name: 'validation top-1', type: 'line', yAxisIndex: 1, data: epochs.filter((e) => e.top1 !== null).map((e) => [e.epoch, +((e.top1 as number) * 100).toFixed(2)]) }]
          : []),
        ...(epochs.some((e) => e.agreement !== null)
          ? [{ name: 'agreement with the teacher', type: 'line', yAxisIndex: 1, data: epochs.filter((e) => e.agreement !== null).map((e) => [e.epoch, +((e.agreement as number) * 100).toFixed(2)]) }]
          : []),
      ],
    }),
    [loss, epochs, valItems],
  );
  return <EChart option={option} dark={dark} height={260} label="Distillation: training loss by step and validation figures by epoch" />;
}
