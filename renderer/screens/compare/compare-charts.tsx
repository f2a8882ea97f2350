/** The comparison's charts: accuracy vs latency with the Pareto front, latency box plots, sizes, a confusion heat map. */
import { Card, FormGroup, H5, HTMLSelect } from '@blueprintjs/core';
import { useMemo, useState } from 'react';
import type { CompareResultDto } from '../../../shared/api/evaluate-dto';
import { confusionOption, latencyBoxOption, scatterOption, sizeBarsOption } from '../../../shared/evaluate/compare-charts';
import { EChart } from '../../components/echart';
import { uiSelectors, useStudio } from '../../store';

/** Renders the three summary charts. */
export function CompareCharts({ result, recommended = null }: { result: CompareResultDto; recommended?: number | null }) {
  const dark = useStudio(uiSelectors.theme) === 'dark';
  const scatter = useMemo(() => scatterOption(result, recommended), [result, recommended]);
  const box = useMemo(() => latencyBoxOption(result), [result]);
  const size = useMemo(() => sizeBarsOption(result), [result]);
  return (
    <div className="ds-compare-charts" data-testid="compare-charts">
      <Card className="ds-compare-chart" data-chart="scatter">
        <H5>Accuracy vs latency</H5>
        <EChart option={scatter} dark={dark} height={320} label="Accuracy against latency per variant, with the Pareto front" />
      </Card>
      <Card className="ds-compare-chart" data-chart="latency">
        <H5>Latency distribution</H5>
        <EChart option={box} dark={dark} height={320} label="Latency box plot per variant" />
      </Card>
      <Card className="ds-compare-chart" data-chart="size">
        <H5>File size and peak memory</H5>
        <EChart option={size} dark={dark} height={320} label="File size and peak memory per variant" />
      </Card>
    </div>
  );
}

/** Renders the confusion matrix of a chosen variant. */
export function ConfusionCard({ result }: { result: CompareResultDto }) {
  const dark = useStudio(uiSelectors.theme) === 'dark';
  const rows = result.rows.map((r, i) => ({ r, i })).filter(({ r }) => r.confusion);
  const [pick, setPick] = useState(rows[0]?.i ?? 0);
  const row = result.rows[pick] ?? rows[0]?.r;
  const option = useMemo(() => (row?.confusion ? confusionOption(row, result.classNames, dark) : null), [row, result.classNames, dark]);
  if (!rows.length || !option || !row) return null;
  return (
    <Card className="ds-compare-chart ds-compare-confusion" data-chart="confusion" data-testid="compare-confusion">
      <div className="ds-compare-confusion-head">
        <H5>Confusion matrix</H5>
        <FormGroup inline label="Variant" labelFor="confusion-variant">
          <HTMLSelect id="confusion-variant" value={pick} onChange={(e) => setPick(Number(e.target.value))} options={rows.map(({ r, i }) => ({ value: i, label: r.name }))} />
        </FormGroup>
      </div>
      {row.confusionNote && <p className="ds-muted">Showing {row.confusionNote}.</p>}
      <EChart option={option} dark={dark} height={440} label={`Confusion matrix of ${row.name}: true class by predicted class`} />
    </Card>
  );
}
