/** The legend of the active overlay: its colour scale from the smallest to the largest value. */
import type { NodeOverlay } from '../../../shared/graph/overlay';
import { formatOverlayValue, OVERLAY_NONE, OVERLAY_STOPS, overlayRange } from '../../../shared/graph/overlay';

/** Renders the legend. */
export function OverlayLegend({ overlay }: { overlay: NodeOverlay }) {
  const range = overlayRange(overlay);
  const count = Object.keys(overlay.values).length;
  return (
    <div className="ds-overlay-legend" data-testid="overlay-legend">
      <div className="ds-small">
        <b>{overlay.title}</b> ({overlay.unit}{overlay.scale === 'log' ? ', log scale' : ''}) · {count} nodes
      </div>
      <div className="ds-legend-bar" style={{ background: `linear-gradient(to right, ${OVERLAY_STOPS.join(', ')})` }} />
      <div className="ds-legend-ends ds-small ds-mono">
        <span>{formatOverlayValue(range.min, overlay.unit)}</span>
        <span>{formatOverlayValue(range.max, overlay.unit)}</span>
      </div>
      <div className="ds-small">
        <span className="ds-chip" style={{ background: OVERLAY_NONE }} /> no value
      </div>
    </div>
  );
}
