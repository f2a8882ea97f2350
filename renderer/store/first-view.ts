/** Start-up ordering: work the first view does not need (MACs, host detection) waits until that view is drawn. */
import type { StudioState } from './index';

type Store = { getState(): StudioState; subscribe(listener: (s: StudioState) => void): () => void };

/** The first view of `modelId` is done: its graph is laid out (or failed, or was cancelled), or another model is open. */
function settled(s: StudioState, modelId: string | null): boolean {
  if (!modelId || s.modelId !== modelId) return true;
  const pane = s.graph.pane;
  return pane.modelId === modelId && (pane.status === 'ready' || pane.status === 'error' || pane.status === 'cancelled');
}

/**
 * Waits until the graph of a model that just opened is on screen (it is prefetched for every model), then for an idle
 * moment, so background requests queue behind it rather than in front of it in the engine.
 * @param store - the bound store
 * @param modelId - the model; null resolves at once
 * @param maxMs - resolves after this long whatever happens (a very large graph must not hold back the rest for long)
 */
export function afterFirstView(store: Store, modelId: string | null, maxMs = 15000): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      unsubscribe();
      clearTimeout(timer);
      const idle = (globalThis as { requestIdleCallback?: (cb: () => void, o: { timeout: number }) => number }).requestIdleCallback;
      if (idle) idle(() => resolve(), { timeout: 1000 });
      else setTimeout(resolve, 0);
    };
    const unsubscribe = store.subscribe((s) => {
      if (settled(s, modelId)) finish();
    });
    const timer = setTimeout(finish, maxMs);
    if (settled(store.getState(), modelId)) finish();
  });
}
