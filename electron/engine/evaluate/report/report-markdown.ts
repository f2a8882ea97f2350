/** The Markdown summary of a comparison, for a pull request description. */
import type { CompareResultDto, SearchResultDto } from '../../../../shared/api/evaluate-dto';
import { accuracyDelta, ms, pct, ratioDelta, snr } from '../../../../shared/evaluate/compare-format';
import { formatBytes } from '../../../../shared/format/bytes';
import { markdownCode, markdownText } from '../../../../shared/security/untrusted-text';

/**
 * Builds the summary.
 * @param result - the comparison
 * @param search - the search it came from, when it did
 */
export function compareMarkdown(result: CompareResultDto, search: SearchResultDto | null = null): string {
  const ref = result.rows[result.referenceIndex];
  const d = result.dataset;
  const lines = [
    `### Model comparison: ${result.rows.length} variant${result.rows.length === 1 ? '' : 's'} of ${markdownCode(ref?.name ?? '')}`,
    '',
    `Data: ${markdownCode(d.path, 2000)} — ${result.evaluated} items (${d.subset}${d.skipped.count ? `, ${d.skipped.count} skipped: ${d.skipped.reasons.map((r) => `${r.count} ${markdownText(r.reason)}`).join(', ')}` : ''}). ` +
      `Latency: ${result.timingRounds} alternated rounds, batch ${result.timingBatch}, ${result.host.cpuModel}, onnxruntime ${result.host.onnxruntime}${result.targetId ? `, target \`${result.targetId}\`` : ''}.`,
    '',
    '| variant | top-1 | Δ top-1 | agreement | SNR | p50 | Δ p50 | p99 | size | Δ size |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of result.rows) {
    const name = r.isReference ? `**${markdownText(r.name)}** (reference)` : markdownText(r.name);
    lines.push(
      `| ${name} | ${pct(r.accuracyTop1)} | ${r.isReference ? '—' : accuracyDelta(r.delta.accuracyTop1)} | ${pct(r.agreementTop1)} | ${snr(r)} | ${ms(r.latencyMs.p50)} | ${r.isReference ? '—' : ratioDelta(r.delta.latencyP50Ratio)} | ${ms(r.latencyMs.p99)} | ${formatBytes(r.sizeBytes)} | ${r.isReference ? '—' : ratioDelta(r.delta.sizeRatio)} |`,
    );
  }
  if (search) {
    lines.push('');
    if (search.recommended === null) {
      lines.push(`No recipe stayed within the allowed drop of ${pct(search.maxDrop)} (${search.metric}).`);
    } else {
      const c = search.candidates[search.recommended];
      lines.push(
        `**Recommended:** ${markdownText(c.label)} — ${c.recipe.steps.map((s) => `\`${s.pass}\``).join(' → ')}; ${c.row ? `p50 ${ratioDelta(c.row.delta.latencyP50Ratio)}` : ''}, drop ${pct(c.drop ?? 0)} (allowed ${pct(search.maxDrop)}).`,
      );
    }
  }
  if (result.warnings.length) lines.push('', ...result.warnings.map((w) => `> ${markdownText(w, 2000)}`));
  return lines.join('\n') + '\n';
}
