/** `deploy-studio graph MODEL [--svg out.svg] [--json]`: the graph DTO and an SVG drawn with the view's own layout code. */
import * as path from 'node:path';
import { StudioError } from '../../shared/api/errors';
import type { SubgraphStep } from '../../shared/graph/graph-dto';
import { allGroupIds, buildGroups } from '../../shared/graph/groups';
import { layoutVisible } from '../../shared/graph/layout-view';
import { renderSvg } from '../../shared/graph/svg';
import { buildView } from '../../shared/graph/view-model';
import { analyzeModel, fillInferredShapes, graphDtoOf, INFER_SHAPES_MAX_NODES, loadModelFile, validateModel, writeFileAtomic } from '../engine';
import { printErr, printJson, printOut } from './output';
import { problemLines, unusableLine } from './problems-text';

export interface GraphCommandOptions {
  svg?: string;
  json?: boolean;
  /** `NODE.ATTRIBUTE[.INDEX]/…`: node by name or file position, e.g. `If_0.then_branch` */
  subgraph?: string;
  theme?: string;
  edgeLabels?: boolean;
  unfoldWeights?: boolean;
}

/**
 * Parses `--subgraph` steps against the model's graphs.
 * @throws StudioError `INVALID_REQUEST` for a step that names no node
 */
function parseSubgraph(spec: string | undefined, findNode: (path: SubgraphStep[], name: string) => number): SubgraphStep[] {
  if (!spec) return [];
  const steps: SubgraphStep[] = [];
  for (const part of spec.split('/').filter(Boolean)) {
    const m = /^(.+)\.([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?$/.exec(part);
    if (!m) throw new StudioError('INVALID_REQUEST', `--subgraph step "${part}" is not NODE.ATTRIBUTE (e.g. If_0.then_branch or 3.body).`);
    steps.push({ node: findNode(steps, m[1]), attribute: m[2], index: Number(m[3] ?? 0) });
  }
  return steps;
}

/** Runs the verb. */
export function runGraph(modelPath: string, opts: GraphCommandOptions): void {
  const loaded = loadModelFile(modelPath);
  const steps = parseSubgraph(opts.subgraph, (prefix, name) => {
    const dto = graphDtoOf(loaded, 'cli', [...prefix]);
    const byName = dto.nodes.find((n) => n.name === name);
    if (byName) return byName.fileIndex;
    if (/^\d+$/.test(name) && Number(name) < dto.nodes.length) return Number(name);
    throw new StudioError('INVALID_REQUEST', `--subgraph: graph "${dto.name}" has no node named "${name}".`);
  });
  const dto = graphDtoOf(loaded, 'cli', steps);
  if (steps.length === 0 && dto.nodeCount <= INFER_SHAPES_MAX_NODES) {
    try {
      fillInferredShapes(dto, analyzeModel(loaded).dto.tensors);
    } catch {
      // shapes stay as the model records them
    }
  }
  let svgInfo: { path: string; boxes: number; layoutMs: number } | undefined;
  if (opts.svg) {
    if (opts.theme && opts.theme !== 'light' && opts.theme !== 'dark') {
      throw new StudioError('INVALID_REQUEST', `--theme must be light or dark, not "${opts.theme}".`);
    }
    const tree = buildGroups(dto.nodes);
    const view = buildView(dto, { tree, expanded: allGroupIds(tree), unfoldWeights: opts.unfoldWeights });
    const t0 = performance.now();
    const layout = layoutVisible(view);
    const layoutMs = performance.now() - t0;
    const svg = renderSvg(view, layout, { dark: opts.theme === 'dark', edgeLabels: opts.edgeLabels, title: `${loaded.fileName} — ${dto.breadcrumb.join(' › ')}` });
    const out = path.resolve(opts.svg);
    if (out === path.resolve(loaded.path)) throw new StudioError('ACCESS_DENIED', `--svg would overwrite the model itself (${out}); choose another file.`);
    writeFileAtomic(out, svg);
    svgInfo = { path: out, boxes: view.nodes.length, layoutMs: Math.round(layoutMs * 10) / 10 };
  }
  const problems = validateModel(loaded.proto, { external: loaded.external, fileName: loaded.fileName });
  const errors = problems.filter((p) => p.severity === 'error');
  if (opts.json) {
    printJson({ file: loaded.path, ...(svgInfo ? { svg: svgInfo } : {}), graph: dto, problems });
    endIfUnusable(problems);
    return;
  }
  const lines = [
    `${loaded.fileName} — ${dto.breadcrumb.join(' › ')}`,
    `  ${dto.nodeCount} nodes (${dto.foldedCount} Constant nodes folded as weights), ${dto.edgeCount} edges, ${dto.tensorCount} tensors` +
      (dto.subgraphNodeCount ? `, ${dto.subgraphNodeCount} more nodes in subgraphs` : ''),
  ];
  if (svgInfo) lines.push(`  wrote ${svgInfo.path} (${svgInfo.boxes} boxes, layout ${svgInfo.layoutMs} ms)`);
  else lines.push('  (add --svg FILE to draw it, --json for the graph DTO)');
  if (errors.length) lines.push('', 'Problems that make the model unusable (deploy-studio inspect lists all)', ...problemLines(errors));
  printOut(lines.join('\n'));
  endIfUnusable(problems);
}

/** Ends the verb with one line and exit code 2 when the model has an error-severity problem (the drawing is still written). */
function endIfUnusable(problems: Parameters<typeof unusableLine>[0]): void {
  const line = unusableLine(problems);
  if (!line) return;
  printErr(line);
  process.exitCode = 2;
}
