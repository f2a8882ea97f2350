/** The result of a comparison: what ran on what, skips, the table, the charts, the confusion matrix and report export. */
import { SessionSettings } from '../../components/figures/session-settings';
import { Button, ButtonGroup, Callout, Card, NonIdealState } from '@blueprintjs/core';
import type { CompareResultDto } from '../../../shared/api/evaluate-dto';
import type { ReportFormatName } from '../../../shared/api/evaluate-api';
import { fewSamplesNote } from '../../../shared/evaluate/data-overlap';
import { compareSelectors, useStudio } from '../../store';
import { CompareCharts, ConfusionCard } from './compare-charts';
import { CompareTable } from './compare-table';
import { JobProgress } from './job-progress';

/** The export buttons of a kept result. */
export function ExportButtons({ which }: { which: 'compare' | 'search' }) {
  const exportReport = useStudio((s) => s.exportCompareReport);
  const exported = useStudio(compareSelectors.exported);
  const formats: Array<[ReportFormatName, string]> = [
    ['html', 'HTML report'],
    ['json', 'JSON'],
    ['csv', 'CSV'],
    ['md', 'Markdown'],
  ];
  return (
    <div className="ds-compare-export">
      <ButtonGroup>
        {formats.map(([f, label]) => (
          <Button key={f} icon={f === 'html' ? 'document-share' : 'export'} onClick={() => void exportReport(f, which)} data-testid={`export-${which}-${f}`}>
            {label}
          </Button>
        ))}
      </ButtonGroup>
      {exported && (
        <span className="ds-muted" data-testid="export-done">
          Saved {exported}
        </span>
      )}
    </div>
  );
}

/** What the comparison ran on, and what it left out. */
export function DatasetSummary({ result }: { result: CompareResultDto }) {
  const d = result.dataset;
  return (
    <div className="ds-compare-summary" data-testid="compare-summary">
      <span>
        <strong>{result.evaluated}</strong> items of <code>{d.path}</code> ({d.subset}
        {d.labelsSource ? `, labels from ${d.labelsSource}` : ', no labels'}) · latency from {result.timingRounds} alternated rounds, batch {result.timingBatch} ·{' '}
        {result.host.cpuModel} <SessionSettings options={result.sessionOptions} />
      </span>
      {d.skipped.count > 0 && (
        <Callout intent="warning" compact icon="filter-remove" data-testid="compare-skipped">
          {d.skipped.count} item{d.skipped.count === 1 ? '' : 's'} skipped (in no metric):{' '}
          {d.skipped.reasons.map((r) => `${r.count} ${r.reason} (e.g. ${r.examples[0]?.item}: ${r.examples[0]?.detail})`).join('; ')}
        </Callout>
      )}
      {(result.dataOverlaps ?? []).map((o) => (
        <Callout key={`${o.variant}:${o.pass}:${o.usedPath}`} intent="warning" icon="warning-sign" title="Evaluated on data a variant was made with" data-testid="compare-overlap">
          {o.message} <span className="ds-muted">({o.role} data: {o.usedPath})</span>
        </Callout>
      ))}
      {fewSamplesNote(result.evaluated) && result.rows.some((r) => r.accuracyTop1 !== null || (!r.isReference && r.agreementTop1 !== null)) && (
        <Callout intent="warning" compact icon="issue" data-testid="compare-few-samples">
          {fewSamplesNote(result.evaluated)}
        </Callout>
      )}
      {result.warnings.map((w) => (
        <Callout key={w} intent="warning" compact>
          {w}
        </Callout>
      ))}
    </div>
  );
}

/** Renders the latest comparison, or what to do first. */
export function CompareResults() {
  const result = useStudio(compareSelectors.result);
  const error = useStudio(compareSelectors.error);
  const jobId = useStudio(compareSelectors.jobId);
  return (
    <div className="ds-compare-results">
      {error &&
        (error.code === 'JOB_CANCELLED' ? (
          <Callout intent="warning" icon="disable" title="Cancelled" data-testid="compare-cancelled">
            The comparison was cancelled; nothing was measured.
          </Callout>
        ) : (
          <Callout intent="danger" icon="error" title="The comparison failed" data-testid="compare-error">
            {error.message}
          </Callout>
        ))}
      {jobId && <JobProgress jobId={jobId} testId="compare-progress-main" />}
      {!result ? (
        !jobId && <NonIdealState icon="comparison" title="No comparison yet" description="Pick two or more variants and a dataset on the left, then run the comparison." />
      ) : (
        <div data-testid="compare-result">
          <Card className="ds-compare-card">
            <div className="ds-compare-result-head">
              <DatasetSummary result={result} />
              <ExportButtons which="compare" />
            </div>
            <CompareTable result={result} />
          </Card>
          <CompareCharts result={result} />
          <ConfusionCard result={result} />
        </div>
      )}
    </div>
  );
}
