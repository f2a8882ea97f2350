/** The self-contained HTML report of a comparison: tables, charts as inline SVG, no script, nothing fetched. */
import { settingsLabel } from '../../../../shared/api/runtime-dto';
import type { CompareResultDto, CompareRowDto, SearchResultDto } from '../../../../shared/api/evaluate-dto';
import { confusionOption, latencyBoxOption, scatterOption, sizeBarsOption } from '../../../../shared/evaluate/compare-charts';
import { accuracyDelta, accuracyTone, coefficientOfVariation, ms, noiseNote, pct, ratioDelta, ratioTone, snr, type Tone } from '../../../../shared/evaluate/compare-format';
import { fewSamplesNote, wilson95 } from '../../../../shared/evaluate/data-overlap';
import { formatBytes } from '../../../../shared/format/bytes';
import { htmlText } from '../../../../shared/security/untrusted-text';
import { formatCount } from '../../../../shared/format/count';
import { renderSvg } from './svg-chart';

/** A noise mark after a latency whose runs varied a lot or were few (the same rule as the GUI's). */
function noisy(latencies: readonly number[]): string {
  const why = noiseNote(coefficientOfVariation(latencies), latencies.length);
  return why ? ` <span class="noisy" title="noisy: ${why}">⚠ noisy</span>` : '';
}

/** @returns text safe inside HTML: markup escaped, control characters shown escaped (the sanitizer's {@link htmlText}). */
export function esc(s: unknown): string {
  return htmlText(s);
}

const CSS = `.noisy{color:#c87619;font-size:.85em}

body{font:14px/1.45 -apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#1c2127;margin:0;background:#f6f7f9}
main{max-width:1360px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.muted{color:#5f6b7c}.card{background:#fff;border:1px solid #dce0e5;border-radius:4px;padding:16px;margin:12px 0}
table{border-collapse:collapse;width:100%;font-size:12.5px;font-variant-numeric:tabular-nums}th,td{padding:4px 5px;border-bottom:1px solid #e5e8eb;text-align:right;white-space:nowrap}th{white-space:normal}
th:first-child,td:first-child{text-align:left}th{font-weight:600;background:#f6f7f9}
.good{color:#1c6e42;font-weight:600}.bad{color:#ac2f33;font-weight:600}.ref{background:#eef4fd}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:12px}figure{margin:0}figcaption{font-weight:600;margin-bottom:4px}
svg{max-width:100%;height:auto}.tag{display:inline-block;padding:1px 6px;border-radius:3px;background:#e5e8eb;font-size:12px}
.pick{background:#fbe3e3}.warn li{color:#935610}ul{margin:4px 0;padding-left:20px}code{font-size:12px}`;

function toneCell(text: string, tone: Tone): string {
  return `<td class="${tone === 'neutral' ? '' : tone}">${esc(text)}</td>`;
}

/** A proportion with its Wilson 95 % interval in small print. */
function withCi(p: number | null, n: number): string {
  const ci = p === null ? null : wilson95(p, n);
  return `${pct(p)}${ci ? ` <span class="muted" style="font-size:.85em">${(100 * ci.low).toFixed(1)}–${(100 * ci.high).toFixed(1)}</span>` : ''}`;
}

function rowHtml(r: CompareRowDto, n: number): string {
  return `<tr class="${r.isReference ? 'ref' : ''}"><td>${esc(r.name)} ${r.isReference ? '<span class="tag">reference</span>' : `<span class="tag">${esc(r.kind)}</span>`}</td>
<td>${withCi(r.accuracyTop1, n)}</td><td>${pct(r.accuracyTop5)}</td>${r.isReference ? '<td>—</td>' : toneCell(accuracyDelta(r.delta.accuracyTop1), accuracyTone(r.delta.accuracyTop1))}
<td>${r.isReference ? pct(r.agreementTop1) : withCi(r.agreementTop1, n)}</td><td>${esc(snr(r))}</td>
<td>${ms(r.latencyMs.p50)}${noisy(r.latenciesMs)}</td><td>${ms(r.latencyMs.p90)}</td><td>${ms(r.latencyMs.p99)}</td>${r.isReference ? '<td>—</td>' : toneCell(ratioDelta(r.delta.latencyP50Ratio), ratioTone(r.delta.latencyP50Ratio))}
<td>${r.throughput.toFixed(0)} items/s</td><td>${formatBytes(r.sizeBytes)}</td>${r.isReference ? '<td>—</td>' : toneCell(ratioDelta(r.delta.sizeRatio), ratioTone(r.delta.sizeRatio))}
<td>${formatBytes(r.peakRssBytes)}</td><td>${formatCount(r.params)}</td><td>${formatCount(r.macs)}</td></tr>`;
}

/** The overlap and few-samples warnings, as the Compare screen shows them. */
function honestyHtml(result: CompareResultDto): string {
  const notes = [...(result.dataOverlaps ?? []).map((o) => o.message), ...(fewSamplesNote(result.evaluated) ? [fewSamplesNote(result.evaluated) as string] : [])];
  return notes.length ? `<ul class="warn">${notes.map((n) => `<li><b>⚠</b> ${esc(n)}</li>`).join('')}</ul>` : '';
}

function skipsHtml(result: CompareResultDto): string {
  const s = result.dataset.skipped;
  if (!s.count) return '<p class="muted">Nothing was skipped.</p>';
  return `<p><b>${s.count} item${s.count === 1 ? '' : 's'} skipped</b> (not in any metric):</p><ul>${s.reasons
    .map((r) => `<li>${r.count} × ${esc(r.reason)} — e.g. <code>${esc(r.examples[0]?.item ?? '')}</code>: ${esc(r.examples[0]?.detail ?? '')}</li>`)
    .join('')}</ul>`;
}

function searchHtml(search: SearchResultDto): string {
  const rows = search.candidates
    .map((c, i) => {
      const r = c.row;
      const cls = i === search.recommended ? 'pick' : '';
      return `<tr class="${cls}"><td>${esc(c.label)}${i === search.recommended ? ' <span class="tag">recommended</span>' : ''}</td>
<td>${r ? pct(search.metric === 'accuracyTop1' ? r.accuracyTop1 : r.agreementTop1) : '—'}</td><td>${c.drop === null ? '—' : accuracyDelta(-c.drop)}</td>
<td>${r ? ms(r.latencyMs.p50) : '—'}</td><td>${r ? ratioDelta(r.delta.latencyP50Ratio) : '—'}</td><td>${r ? formatBytes(r.sizeBytes) : '—'}</td>
<td>${c.meetsDrop ? 'yes' : 'no'}</td><td>${c.onFront ? 'yes' : ''}</td><td style="text-align:left">${esc(c.error ?? c.recipe.steps.map((s) => s.pass).join(' → '))}</td></tr>`;
    })
    .join('');
  return `<h2>Recipe search</h2><div class="card"><p>Maximum drop ${pct(search.maxDrop)} in ${esc(search.metric)}; passes available: ${esc(search.passesAvailable.join(', ') || 'none')}.</p>
<table><thead><tr><th>recipe</th><th>${esc(search.metric)}</th><th>change</th><th>p50</th><th>vs original</th><th>size</th><th>within drop</th><th>Pareto</th><th>steps</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

/**
 * Builds the HTML report.
 * @param result - the comparison
 * @param search - the search it came from, when it did
 * @returns one HTML document; charts are inline SVG and a CSP forbids every fetch
 */
export function compareHtml(result: CompareResultDto, search: SearchResultDto | null = null): string {
  const recommendedName = search && search.recommended !== null ? search.candidates[search.recommended].label : null;
  const recommendedRow = recommendedName ? result.rows.findIndex((r) => r.name === recommendedName) : -1;
  const charts = [
    { title: 'Accuracy vs latency (Pareto front dashed)', svg: renderSvg(scatterOption(result, recommendedRow >= 0 ? recommendedRow : null), 560, 360), id: 'scatter' },
    { title: 'Latency distribution per variant', svg: renderSvg(latencyBoxOption(result), 560, 360), id: 'latency' },
    { title: 'File size and peak memory', svg: renderSvg(sizeBarsOption(result), 560, 360), id: 'size' },
  ];
  const confusions = result.rows
    .filter((r) => r.confusion)
    .map((r) => ({ title: `Confusion matrix — ${r.name}${r.confusionNote ? ` (${r.confusionNote})` : ''}`, svg: renderSvg(confusionOption(r, result.classNames), 560, 480), id: 'confusion' }));
  const figure = (c: { title: string; svg: string; id: string }) => `<figure class="card" data-chart="${c.id}"><figcaption>${esc(c.title)}</figcaption>${c.svg}</figure>`;
  const d = result.dataset;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(result.modelName ?? result.rows[result.referenceIndex]?.name ?? 'model')} — comparison of ${result.rows.length} variant${result.rows.length === 1 ? '' : 's'} — Deploy Studio</title><style>${CSS}</style></head>
<body><main>
<h1>${esc(result.modelName ?? 'Model')}: comparison of ${result.rows.length} variant${result.rows.length === 1 ? '' : 's'}</h1>
<p class="muted">${esc(new Date(result.createdAt).toUTCString())} · ${esc(result.host.cpuModel)} (${result.host.cpus} CPUs, ${esc(result.host.platform)}/${esc(result.host.arch)}) · onnxruntime ${esc(result.host.onnxruntime)}
· session settings: ${esc(settingsLabel({ ...result.sessionOptions, targetId: result.targetId }))}</p>
<div class="card"><b>Data:</b> ${esc(d.path)} (${esc(d.kind)}, ${d.itemCount} of ${d.foundCount} items, ${esc(d.subset)}${d.labelsSource ? `, labels from ${esc(d.labelsSource)}` : ''}${d.preprocessSource ? `, preprocessing ${esc(d.preprocessSource)}` : ''}); ${result.evaluated} items evaluated.
Latency: ${result.timingRounds} rounds, every variant once a round in rotating order, batch ${result.timingBatch}.
${skipsHtml(result)}${honestyHtml(result)}${result.warnings.length ? `<ul>${result.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : ''}</div>
<h2>Results</h2><div class="card" style="overflow-x:auto"><table data-testid="report-table"><thead><tr><th>variant</th><th>top-1 (n = ${result.evaluated}, 95 % CI)</th><th>top-5</th><th>Δ top-1</th><th>agreement (n = ${result.evaluated}, 95 % CI)</th><th>SNR</th>
<th>p50</th><th>p90</th><th>p99</th><th>Δ p50</th><th>throughput</th><th>size</th><th>Δ size</th><th>peak memory</th><th>params</th><th>MACs</th></tr></thead>
<tbody>${result.rows.map((r) => rowHtml(r, result.evaluated)).join('')}</tbody></table></div>
${search ? searchHtml(search) : ''}
<h2>Charts</h2><div class="grid">${charts.map(figure).join('')}</div>
${confusions.length ? `<h2>Confusion matrices</h2><div class="grid">${confusions.map(figure).join('')}</div>` : ''}
<p class="muted">Made by Deploy Studio. Latency is the model run inside the inference process (no decoding or IPC), measured with every variant alternating so machine noise falls on all alike.</p>
</main></body></html>
`;
}
