/** "Show on graph": puts a pruning preview's or report's per-node pruned fraction on the graph view as its overlay. */
import { Button } from '@blueprintjs/core';
import { prunedOverlay, PRUNED_OVERLAY_ID } from '../../../shared/prune/prune-overlay';
import { useStudio } from '../../store';

/** Renders the button. */
export function PruneGraphButton({ layers, title }: { layers: Parameters<typeof prunedOverlay>[0]; title: string }) {
  const setOverlay = useStudio((s) => s.setOverlay);
  const setActiveOverlay = useStudio((s) => s.setActiveOverlay);
  const setPlace = useStudio((s) => s.setPlace);
  return (
    <Button
      size="small"
      icon="graph"
      text="Show on graph"
      data-testid="prune-show-graph"
      onClick={() => {
        setOverlay(prunedOverlay(layers, title));
        setActiveOverlay(PRUNED_OVERLAY_ID);
        setPlace('graph');
      }}
    />
  );
}
