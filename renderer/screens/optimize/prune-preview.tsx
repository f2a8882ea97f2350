/** The Prune panel's preview: totals, per-layer bars, and the structures that keep channels, before anything runs. */
import { Callout, H5, HTMLTable, Tag } from '@blueprintjs/core';
import { formatCount } from '../../../shared/format/count';
import type { ChannelRoundingDto, PrunePreviewDto } from '../../../shared/prune/prune-report';
import { roundingText } from '../../../shared/prune/rounding-text';
import { PruneChart } from './prune-chart';
import { PruneGraphButton } from './prune-graph-button';

/** `before → after (x %)`. */
export function change(before: number, after: number): string {
  return `${formatCount(before)} → ${formatCount(after)} (${before ? ((100 * after) / before).toFixed(1) : '100'} %)`;
}

/** What rounding to the channel multiple did ("45 → 48 channels for AVX-512") and where the multiple came from. */
export function RoundingNote({ rounding }: { rounding: ChannelRoundingDto }) {
  const t = roundingText(rounding);
  return (
    <Callout compact intent="none" icon="grid-view" data-testid="prune-rounding">
      {t.headline.charAt(0).toUpperCase() + t.headline.slice(1)}.
      <div className="ds-muted">The multiple: {t.why}.</div>
    </Callout>
  );
}

/** Renders a preview. */
export function PrunePreview({ preview, stale }: { preview: PrunePreviewDto; stale: boolean }) {
  const channel = preview.method === 'channel';
  const blocked = preview.blocked.filter((b) => b.op !== 'output');
  const groups = preview.groups.filter((g) => g.layers.length > 1);
  return (
    <div className={`ds-prune-preview${stale ? ' ds-stale' : ''}`} data-testid="prune-preview" data-stale={stale ? 'true' : 'false'}>
      <div className="ds-prune-totals">
        <Tag large minimal intent="danger" data-testid="prune-fraction">
          {(100 * preview.fraction).toFixed(1)} % of {channel ? 'channels' : 'weights'} removed
        </Tag>
        <Tag large minimal>params {change(preview.paramsBefore, preview.paramsAfter)}</Tag>
        <Tag large minimal>MACs {change(preview.macsBefore, preview.macsAfter)}</Tag>
        <span className="ds-muted">planned in {Math.round(preview.ms)} ms{stale ? ' — out of date (options or model changed), updating…' : ''}</span>
        {channel && <PruneGraphButton layers={preview.layers} title="Pruned fraction (preview)" />}
      </div>
      {preview.rounding && <RoundingNote rounding={preview.rounding} />}
      {preview.notes.map((n) => (
        <Callout key={n} compact intent="none" icon="info-sign">
          {n}
        </Callout>
      ))}
      <PruneChart layers={preview.layers} unit={channel ? 'channels' : 'weights'} />
      {channel && groups.length > 0 && (
        <div className="ds-muted" data-testid="prune-groups">
          {groups.length} coupled group(s) lose the same channels in every member, e.g. {groups[0].layers.slice(0, 4).join(', ')}
          {groups[0].layers.length > 4 ? ` and ${groups[0].layers.length - 4} more` : ''}.
        </div>
      )}
      {channel && blocked.length > 0 && (
        <>
          <H5>Kept intact</H5>
          <HTMLTable compact striped className="ds-table" data-testid="prune-blocked">
            <thead>
              <tr>
                <th>structure</th>
                <th>op</th>
                <th>why its channels stay</th>
              </tr>
            </thead>
            <tbody>
              {blocked.slice(0, 50).map((b) => (
                <tr key={`${b.node}:${b.reason}`}>
                  <td className="ds-mono">{b.node}</td>
                  <td>{b.op}</td>
                  <td>{b.reason}</td>
                </tr>
              ))}
            </tbody>
          </HTMLTable>
        </>
      )}
    </div>
  );
}
