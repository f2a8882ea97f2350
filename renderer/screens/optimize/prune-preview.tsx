/** The Prune panel's preview: totals, per-layer bars, and the structures that keep channels, before anything runs. */
import { Callout, H5, HTMLTable, Tag } from '@blueprintjs/core';
import { changeText, channelsRemovedText } from '../../../shared/prune/channel-count';
import type { ChannelRoundingDto, PrunePreviewDto } from '../../../shared/prune/prune-report';
import { roundingText } from '../../../shared/prune/rounding-text';
import { PruneChart } from './prune-chart';
import { PruneGraphButton } from './prune-graph-button';

/** `before → after (−x %)`: the change as a signed share of before (the kept share misread as "removed"). */
export function change(before: number, after: number): string {
  return changeText(before, after);
}

/** The channel headline, the same words in the preview and the result, with why it differs from the slider. */
export function ChannelsRemoved({ before, after, asked, testId = 'prune-fraction' }: { before: number; after: number; asked: number | null; testId?: string }) {
  const t = channelsRemovedText(before, after, asked);
  return (
    <>
      <Tag large minimal intent="danger" data-testid={testId}>
        {t.headline}
      </Tag>
      {t.note && <span className="ds-muted" data-testid="prune-asked-note">{t.note}</span>}
    </>
  );
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

/** Channels of the prunable layers before and after, summed from the preview's bars. */
function channelTotals(preview: PrunePreviewDto): { before: number; after: number } {
  if (preview.channelsBefore !== undefined && preview.channelsAfter !== undefined) return { before: preview.channelsBefore, after: preview.channelsAfter };
  return preview.layers.filter((l) => l.group >= 0).reduce((t, l) => ({ before: t.before + l.before, after: t.after + l.after }), { before: 0, after: 0 });
}

/**
 * Renders a preview.
 * @param asked - the slider's per-group share (null for global targets), to explain a removed share that differs
 */
export function PrunePreview({ preview, stale, asked = null }: { preview: PrunePreviewDto; stale: boolean; asked?: number | null }) {
  const channel = preview.method === 'channel';
  const blocked = preview.blocked.filter((b) => b.op !== 'output');
  const groups = preview.groups.filter((g) => g.layers.length > 1);
  return (
    <div className={`ds-prune-preview${stale ? ' ds-stale' : ''}`} data-testid="prune-preview" data-stale={stale ? 'true' : 'false'}>
      <div className="ds-prune-totals">
        {channel ? (
          <ChannelsRemoved {...channelTotals(preview)} asked={asked} />
        ) : (
          <Tag large minimal intent="danger" data-testid="prune-fraction">
            {(100 * preview.fraction).toFixed(1)} % of weights removed (set to zero)
          </Tag>
        )}
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
