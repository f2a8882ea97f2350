/** The recipe search: a grid of quantization × pruning recipes, the Pareto front and the recommended variant. */
import { Button, Callout, Card, FormGroup, H5, HTMLTable, InputGroup, NonIdealState, NumericInput, Tag } from '@blueprintjs/core';
import { useState } from 'react';
import type { SearchCandidateDto } from '../../../shared/api/evaluate-dto';
import { accuracyDelta, ms, pct, ratioDelta, ratioTone } from '../../../shared/evaluate/compare-format';
import { formatBytes } from '../../../shared/format/bytes';
import { studioClient } from '../../services';
import { compareSelectors, useStudio } from '../../store';
import { CompareCharts } from './compare-charts';
import { DatasetSummary, ExportButtons } from './compare-results';
import { JobProgress } from './job-progress';
import { SaveRecipeButton } from '../../components/variants/save-recipe-button';

function CandidateRow({ c, recommended, metric }: { c: SearchCandidateDto; recommended: boolean; metric: 'accuracyTop1' | 'agreementTop1' }) {
  const r = c.row;
  return (
    <tr className={recommended ? 'ds-compare-pick-row' : ''} data-testid="search-candidate">
      <td>
        {c.label} {recommended && <Tag intent="danger">recommended</Tag>} {c.onFront && <Tag minimal intent="success">Pareto</Tag>}
      </td>
      <td className="ds-num">{r ? pct(r[metric]) : '—'}</td>
      <td className={`ds-num ds-tone-${c.meetsDrop ? 'neutral' : 'bad'}`}>{c.drop === null ? '—' : accuracyDelta(-c.drop)}</td>
      <td className="ds-num">{r ? ms(r.latencyMs.p50) : '—'}</td>
      <td className={`ds-num ds-tone-${r ? ratioTone(r.delta.latencyP50Ratio) : 'neutral'}`}>{r ? ratioDelta(r.delta.latencyP50Ratio) : '—'}</td>
      <td className="ds-num">{r ? formatBytes(r.sizeBytes) : '—'}</td>
      <td>{c.error ? <span className="ds-tone-bad">{c.error}</span> : c.recipe.steps.map((s) => s.pass).join(' → ')}</td>
    </tr>
  );
}

/** Renders the search panel. */
export function SearchPanel() {
  const maxDrop = useStudio(compareSelectors.searchMaxDropPct);
  const setMaxDrop = useStudio((s) => s.setSearchMaxDropPct);
  const ratios = useStudio(compareSelectors.searchPruneRatios);
  const setRatios = useStudio((s) => s.setSearchPruneRatios);
  const jobId = useStudio(compareSelectors.searchJobId);
  const compareJobId = useStudio(compareSelectors.jobId);
  const busy = jobId !== null || compareJobId !== null;
  const hasData = useStudio((s) => s.compareData.path.trim() !== '');
  const result = useStudio(compareSelectors.searchResult);
  const error = useStudio(compareSelectors.searchError);
  const run = useStudio((s) => s.runSearch);
  const refresh = useStudio((s) => s.refreshVariants);
  const original = useStudio((s) => s.variants.find((v) => v.kind === 'original') ?? null);
  const [kept, setKept] = useState<string | null>(null);
  const [keeping, setKeeping] = useState(false);
  const [keepError, setKeepError] = useState<string | null>(null);
  const pick = result && result.recommended !== null ? result.candidates[result.recommended] : null;
  const pickRow = pick ? result?.comparison.rows.findIndex((r) => r.name === pick.label) : null;
  const keep = async () => {
    if (!pick || !original) return;
    setKeeping(true);
    setKeepError(null);
    try {
      const created = await studioClient().api.applyRecipe({ modelId: original.modelId, recipe: pick.recipe, name: pick.label });
      setKept(created.variant.id);
      await refresh();
    } catch (err) {
      setKeepError(err instanceof Error ? err.message : String(err));
    } finally {
      setKeeping(false);
    }
  };
  return (
    <div className="ds-compare-results" data-testid="search-panel">
      <Card className="ds-compare-card">
        <H5>Search recipes</H5>
        <p className="ds-muted">
          Tries every quantization mode and calibration method the studio has, and each pruning ratio alone and before quantization, on the
          data at the left; every candidate is measured against the original with alternated runs. The recommended one is the fastest within
          the allowed drop.
        </p>
        <div className="ds-compare-row">
          <FormGroup label="Allowed top-1 drop (points)" labelFor="search-drop">
            <NumericInput id="search-drop" min={0} max={99} stepSize={0.5} minorStepSize={0.1} value={maxDrop} onValueChange={(v) => setMaxDrop(Math.max(0, Math.min(99, v || 0)))} data-testid="search-drop" />
          </FormGroup>
          <FormGroup label="Pruning ratios" labelFor="search-ratios">
            <InputGroup id="search-ratios" value={ratios} onValueChange={setRatios} data-testid="search-ratios" />
          </FormGroup>
          <Button intent="primary" icon="search-template" disabled={!hasData || busy} loading={jobId !== null} onClick={() => void run()} data-testid="search-run">
            Search
          </Button>
        </div>
        <JobProgress jobId={jobId} testId="search-progress" />
      </Card>
      {error && (
        <Callout intent="danger" icon="error" title="The search failed" data-testid="search-error">
          {error.message}
        </Callout>
      )}
      {!result && !error && <NonIdealState icon="search-template" title="No search yet" description="Set the allowed drop, then search." />}
      {result && (
        <>
          <Card className="ds-compare-card" data-testid="search-result">
            <div className="ds-compare-result-head">
              <DatasetSummary result={result.comparison} />
              <ExportButtons which="search" />
            </div>
            <Callout intent={pick ? 'success' : 'warning'} icon={pick ? 'tick-circle' : 'info-sign'} data-testid="search-recommendation">
              {pick ? (
                <>
                  Recommended: <strong>{pick.label}</strong> — p50 {pick.row ? ratioDelta(pick.row.delta.latencyP50Ratio) : ''}, {result.metric === 'accuracyTop1' ? 'top-1 accuracy' : 'top-1 agreement'} drop{' '}
                  {pct(pick.drop ?? 0)} (allowed {pct(result.maxDrop)}).{' '}
                  <Button size="small" icon="add" loading={keeping} disabled={kept !== null} onClick={() => void keep()} data-testid="search-keep">
                    {kept ? 'Kept as a variant' : 'Keep as variant'}
                  </Button>{' '}
                  {kept && <SaveRecipeButton variantId={kept} recipe={pick.recipe} />}
                  {keepError && <div className="ds-tone-bad">{keepError}</div>}
                </>
              ) : (
                `No recipe was faster than the original within the allowed drop of ${pct(result.maxDrop)}.`
              )}
            </Callout>
            <div className="ds-compare-table-wrap">
              <HTMLTable compact striped className="ds-compare-table">
                <thead>
                  <tr>
                    <th>recipe</th>
                    <th>{result.metric === 'accuracyTop1' ? 'top-1' : 'agreement'}</th>
                    <th>change</th>
                    <th>p50</th>
                    <th>vs original</th>
                    <th>size</th>
                    <th>steps</th>
                  </tr>
                </thead>
                <tbody>
                  {result.candidates.map((c, i) => (
                    <CandidateRow key={c.label} c={c} recommended={i === result.recommended} metric={result.metric} />
                  ))}
                </tbody>
              </HTMLTable>
            </div>
          </Card>
          <CompareCharts result={result.comparison} recommended={pickRow !== null && pickRow !== undefined && pickRow >= 0 ? pickRow : null} />
        </>
      )}
    </div>
  );
}
