/** Helpers of the graph e2e tests: open a model by upload, go to the Graph place, wait for the drawn graph. */
import type { Page } from 'playwright-core';

/** Opens a model through the file chooser (as a user would) and waits for its summary. */
export async function openByUpload(page: Page, file: string, fileName: string): Promise<void> {
  await page.locator('[data-place="model"]').click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('open-model').first().click();
  await (await chooser).setFiles(file);
  await page.locator('h1', { hasText: fileName }).waitFor();
}

/** Goes to the Graph place and waits until the canvas has drawn its first frame. */
export async function showGraph(page: Page): Promise<void> {
  await page.locator('[data-place="graph"]').click();
  await page.locator('[data-testid="graph-canvas"][data-state="ready"]').waitFor({ timeout: 60_000 });
}

/** Waits until every element of the view is in the canvas (they arrive in batches after the first paint). */
export async function waitComplete(page: Page): Promise<void> {
  await page.locator('[data-testid="graph-canvas"][data-complete="true"]').waitFor({ timeout: 60_000 });
}

/** The counts the screen shows, read from the counts bar and the canvas. */
export async function screenCounts(
  page: Page,
): Promise<{ nodeCount: number; edgeCount: number; shownNodes: number; representedEdges: number; canvasEdges: number; collapsed: number }> {
  const counts = page.getByTestId('graph-counts');
  const attr = async (name: string) => Number(await counts.getAttribute(name));
  return {
    nodeCount: await attr('data-node-count'),
    edgeCount: await attr('data-edge-count'),
    shownNodes: Number(await page.getByTestId('graph-canvas').getAttribute('data-op-nodes')) + (await attr('data-folded')),
    representedEdges: await attr('data-represented-edges'),
    canvasEdges: Number(await page.getByTestId('graph-canvas').getAttribute('data-edges')),
    collapsed: await attr('data-collapsed'),
  };
}
