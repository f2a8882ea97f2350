// Graph view benchmark: for generated chains and block models of 200 … 50 000 nodes and DenseNet-121, the layout time
// (Node, shared code), and in Chromium (playwright-core against `serve`) the time from opening the Graph place to the
// first interactive paint, with the longest UI-thread task (PerformanceObserver 'longtask'); the time from page
// navigation to that paint, through the Model place and a click, and through the deep link `&place=graph` (as Netron's
// figures count: navigation to the graph shown); cytoscape-dagre as the baseline in the same run when it is installed.
/* global window, document, WheelEvent, requestAnimationFrame, Element */
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const gen = path.join(root, 'test', 'fixtures', 'generated');
const require = createRequire(import.meta.url);
const only = process.env.GRAPH_BENCH_ONLY ? process.env.GRAPH_BENCH_ONLY.split(',') : null;
const sizes = [200, 2000, 20000, 50000];
const models = [...sizes.flatMap((n) => [`chain-${n}`, `blocks-${n}`]), 'densenet121'].filter((m) => !only || only.includes(m));

execFileSync('/usr/bin/python3', [path.join(root, 'scripts', 'make-graph-fixtures.py'), gen], { stdio: 'inherit' });
if (!fs.existsSync(path.join(gen, 'densenet121.onnx'))) {
  execFileSync('/usr/bin/python3', [path.join(root, 'scripts', 'make-fixtures.py'), gen], { stdio: 'inherit' });
}

// ---- Node: engine DTO and the shared layout
const esbuild = await import('esbuild');
const libFile = path.join(root, 'out', 'bench', 'graph-bench-lib.cjs');
await esbuild.build({ entryPoints: [path.join(root, 'scripts/bench/graph-bench-lib.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: libFile, logLevel: 'error', external: ['electron', 'onnxruntime-node', 'sharp', 'playwright-core', 'electron-builder'] });
const lib = require(libFile);
const nodeRows = {};
for (const m of models) nodeRows[m] = lib.nodeFigures(path.join(gen, `${m}.onnx`));

// ---- Chromium against serve
const { chromium } = await import('playwright-core');
const chromiumPath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p)) ?? (await import('@sparticuz/chromium')).default.executablePath();
const withTimeout = (p, ms, what) => Promise.race([p, new Promise((_, rej) => setTimeout(() => rej(new Error(`${what}: over ${ms / 1000} s`)), ms))]);

/** Starts a fresh `serve` (one per model, so no run inherits another's engine state). */
async function startServe() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-bench-data-'));
  const server = spawn(process.execPath, [path.join(root, 'out', 'cli', 'cli.cjs'), 'serve', '--no-open', '--model', path.join(gen, 'chain-200.onnx')], {
    env: { ...process.env, DEPLOY_STUDIO_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const baseUrl = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 30000);
    server.stdout.on('data', (d) => {
      out += d;
      const m = /serving on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace(/&model=.*$/, ''));
      }
    });
  });
  return {
    baseUrl,
    stop: async () => {
      const exited = new Promise((res) => server.once('exit', res));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((res) => setTimeout(res, 5000))]);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--js-flags=--stack-size=65500'] });

const observe = () => {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  document.addEventListener('click', (e) => {
    if (e.target instanceof Element && e.target.closest('[data-place="graph"]')) window.__graphClickAt = performance.now();
  }, true);
};

async function studioFigures(model, webgl) {
  const serve = await startServe();
  try {
    return await measure(serve.baseUrl, model, webgl);
  } finally {
    await serve.stop();
  }
}

/** Navigation with the deep link `&place=graph` (no click) to the graph's first interactive paint, on a fresh serve. */
async function deepLinkFigures(model) {
  const serve = await startServe();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'dark' });
  try {
    const page = await context.newPage();
    await page.goto(`${serve.baseUrl}&model=${encodeURIComponent(path.join(gen, `${model}.onnx`))}&place=graph`);
    await page.locator('[data-testid="graph-canvas"][data-state="ready"]').waitFor({ timeout: 180000 });
    return await page.evaluate(() => ({
      fromNavigationMs: window.__graphReadyAt,
      openMs: performance.getEntriesByName('graph:load')[0]?.startTime ?? 0,
      marks: performance.getEntriesByType('mark').filter((m) => m.name.startsWith('graph:')).map((m) => `${m.name.slice(6)} ${Math.round(m.startTime)}`).join(', '),
    }));
  } finally {
    await context.close();
    await serve.stop();
  }
}

async function measure(baseUrl, model, webgl) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'dark' });
  const page = await context.newPage();
  await page.addInitScript(observe);
  const file = path.join(gen, `${model}.onnx`);
  await page.goto(`${baseUrl}&model=${encodeURIComponent(file)}${webgl ? '&webgl=1' : ''}`);
  await page.locator('[data-testid="summary"]').waitFor({ timeout: 120000 });
  await page.locator('[data-place="graph"]').click();
  try {
    await page.locator('[data-testid="graph-canvas"][data-state="ready"]').waitFor({ timeout: 180000 });
  } catch (err) {
    const shot = path.join(os.tmpdir(), `graph-bench-${model}.png`);
    await page.screenshot({ path: shot }).catch(() => undefined);
    const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => `${m.name} ${Math.round(m.startTime)}`).join(', ')).catch(() => '');
    throw new Error(`${model}: the graph did not draw (marks: ${marks}; screenshot ${shot}): ${err.message}`);
  }
  const r = await page.evaluate(() => {
    const since = window.__graphClickAt;
    const tasks = window.__longTasks.filter((t) => t.start + t.duration >= since);
    return {
      interactiveMs: window.__graphReadyAt - since,
      fromNavigationMs: window.__graphReadyAt,
      // from the moment the graph view starts loading (the model is open) to its first interactive paint
      graphMs: window.__graphReadyAt - (performance.getEntriesByName('graph:load')[0]?.startTime ?? since),
      openMs: performance.getEntriesByType('mark').find((m) => m.name === 'graph:load')?.startTime ?? 0,
      longest: tasks.reduce((m, t) => Math.max(m, t.duration), 0),
      over200: tasks.filter((t) => t.duration > 200).length,
      boxes: Number(document.querySelector('[data-testid="graph-canvas"]').dataset.nodes),
      layoutMs: Number(document.querySelector('[data-testid="graph-counts"]').dataset.layoutMs),
      marks: performance.getEntriesByType('mark').filter((m) => m.name.startsWith('graph:') && m.startTime >= since).map((m) => `${m.name.slice(6)} ${Math.round(m.startTime - since)}`).join(', '),
    };
  });
  // responsiveness after the first paint: a wheel zoom, time to the next frame
  const zoom = await page.evaluate(async () => {
    const el = document.querySelector('[data-testid="graph-canvas"]');
    const t0 = performance.now();
    el.dispatchEvent(new WheelEvent('wheel', { deltaY: -200, clientX: 600, clientY: 400, bubbles: true }));
    await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
    return performance.now() - t0;
  });
  // the rest of the elements arrive in batches; the longest task over the whole load
  await page.locator('[data-testid="graph-canvas"][data-complete="true"]').waitFor({ timeout: 180000 });
  const all = await page.evaluate(() => {
    const since = window.__graphClickAt;
    const tasks = window.__longTasks.filter((t) => t.start + t.duration >= since);
    return { completeMs: performance.getEntriesByName('graph:complete').pop()?.startTime - since, longestAll: tasks.reduce((m, t) => Math.max(m, t.duration), 0), over200All: tasks.filter((t) => t.duration > 200).length };
  });
  await context.close();
  return { ...r, ...all, zoomFrameMs: zoom };
}

// the baseline: cytoscape-dagre from node_modules, or from GRAPH_BENCH_DAGRE_DIR (dagre.js + cytoscape-dagre.js)
let dagreFiles = null;
try {
  const dir = process.env.GRAPH_BENCH_DAGRE_DIR;
  dagreFiles = dir
    ? [require.resolve('cytoscape/dist/cytoscape.min.js'), path.join(dir, 'dagre.js'), path.join(dir, 'cytoscape-dagre.js')]
    : [require.resolve('cytoscape/dist/cytoscape.min.js'), require.resolve('dagre/dist/dagre.min.js'), require.resolve('cytoscape-dagre')];
  if (!dagreFiles.every((f) => fs.existsSync(f))) dagreFiles = null;
} catch {
  dagreFiles = null;
}

async function dagreFigures(model) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  try {
    return await withTimeout(dagreRun(page, model), 180000, `dagre ${model}`);
  } finally {
    await withTimeout(context.close(), 20000, 'close').catch(() => undefined);
  }
}

async function dagreRun(page, model) {
  await page.addInitScript(observe);
  await page.setContent('<div id="cy" style="position:absolute;inset:0"></div>');
  await page.evaluate(observe);
  for (const f of dagreFiles) await page.addScriptTag({ path: f });
  const elements = lib.dagreElements(path.join(gen, `${model}.onnx`));
  const r = await page.evaluate(async (els) => {
    const t0 = performance.now();
    try {
      const cy = window.cytoscape({ container: document.getElementById('cy'), elements: els, layout: { name: 'dagre', rankDir: 'TB' }, style: [{ selector: 'node', style: { label: 'data(label)', shape: 'round-rectangle' } }] });
      await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
      const t1 = performance.now();
      const longest = (window.__longTasks ?? []).reduce((m, t) => Math.max(m, t.duration), 0);
      cy.destroy();
      return { interactiveMs: t1 - t0, longest };
    } catch (err) {
      return { error: String(err).slice(0, 80) };
    }
  }, elements);
  return r;
}

const rows = [];
for (const m of models) {
  const n = nodeRows[m];
  let ours;
  try {
    ours = await withTimeout(studioFigures(m, false), 240000, m);
  } catch (err) {
    ours = { error: String(err.message ?? err) };
  }
  let deep;
  try {
    deep = await withTimeout(deepLinkFigures(m), 240000, `${m} deep link`);
  } catch (err) {
    deep = { error: String(err.message ?? err) };
  }
  let dagre = null;
  const dagreMax = Number(process.env.GRAPH_BENCH_DAGRE_MAX ?? 20000);
  if (dagreFiles && n.nodes > dagreMax) dagre = { error: `skipped (> ${dagreMax} nodes; GRAPH_BENCH_DAGRE_MAX)` };
  else if (dagreFiles) {
    try {
      dagre = await dagreFigures(m);
    } catch (err) {
      dagre = { error: String(err.message ?? err) };
    }
  }
  rows.push({
    model: m,
    nodes: n.nodes,
    edges: n.edges,
    'engine DTO ms': n.dtoMs,
    'layout ms (first view)': `${n.layoutInitial} (${n.initialBoxes} boxes)`,
    'layout ms (all expanded)': `${n.layoutFull} (${n.fullBoxes} boxes)`,
    'graph load→interactive ms': ours.error ?? Math.round(ours.graphMs),
    'click→interactive ms': ours.error ? '' : Math.round(ours.interactiveMs),
    'page open→interactive ms': ours.error ? '' : Math.round(ours.fromNavigationMs),
    'deep link→interactive ms': deep.error ?? Math.round(deep.fromNavigationMs),
    'all drawn ms': ours.error ? '' : Math.round(ours.completeMs || ours.interactiveMs),
    'longest task ms': ours.error ? '' : Math.round(ours.longestAll),
    'tasks > 200 ms': ours.error ? '' : ours.over200All,
    'zoom frame ms': ours.error ? '' : Math.round(ours.zoomFrameMs),
    'dagre interactive ms': dagre ? (dagre.error ?? Math.round(dagre.interactiveMs)) : 'n/a',
    'dagre / ours': dagre && !dagre.error && !ours.error ? (dagre.interactiveMs / ours.graphMs).toFixed(1) : '',
  });
  console.log(JSON.stringify(rows[rows.length - 1]), ours.marks ?? '', deep.marks ? `| deep link: ${deep.marks}` : '');
}
if (process.env.GRAPH_BENCH_WEBGL !== '0' && models.includes('blocks-20000')) {
  try {
    const gl = await withTimeout(studioFigures('blocks-20000', true), 240000, 'webgl');
    console.log(`cytoscape WebGL renderer (blocks-20000, software GL): interactive ${Math.round(gl.interactiveMs)} ms, zoom frame ${Math.round(gl.zoomFrameMs)} ms`);
  } catch (err) {
    console.log(`cytoscape WebGL renderer: ${err.message ?? err}`);
  }
}
await browser.close();
fs.rmSync(libFile, { force: true });

console.table(rows);
const get = (m) => rows.find((r) => r.model === m);
const verdict = (label, ok) => console.log(`${ok ? 'PASS' : 'FAIL'}  ${label}`);
const ms = (m) => get(m)['graph load→interactive ms'];
const nav = (m) => get(m)['deep link→interactive ms'];
for (const m of ['chain-20000', 'blocks-20000']) {
  if (!get(m)) continue;
  verdict(`${m}: graph interactive ${ms(m)} ms after it starts loading (target < 3000)`, ms(m) < 3000);
  verdict(`${m}: graph interactive ${nav(m)} ms after navigation to the deep link (target < 3000)`, nav(m) < 3000);
}
if (get('densenet121')) {
  verdict(`densenet121: graph interactive ${ms('densenet121')} ms after it starts loading (target < 1500)`, ms('densenet121') < 1500);
  verdict(`densenet121: graph interactive ${nav('densenet121')} ms after navigation to the deep link (target < 1500)`, nav('densenet121') < 1500);
}
for (const m of ['chain-50000', 'blocks-50000']) if (get(m)) verdict(`${m}: longest UI-thread task ${get(m)['longest task ms']} ms (target ≤ 200)`, get(m)['tasks > 200 ms'] === 0);
if (!dagreFiles) console.log('baseline: cytoscape-dagre is not installed (npm i -D cytoscape-dagre dagre to measure it in this run).');
