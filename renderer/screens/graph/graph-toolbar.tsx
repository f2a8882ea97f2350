/** The graph view's toolbar: breadcrumb, search, view toggles, overlay, export and compare. */
import { Breadcrumbs, Button, ButtonGroup, HTMLSelect, InputGroup, Menu, MenuItem, Popover, Tooltip, type BreadcrumbProps } from '@blueprintjs/core';
import type { RefObject } from 'react';
import { graphSelectors, useStudio } from '../../store';

export interface GraphToolbarProps {
  searchRef: RefObject<HTMLInputElement | null>;
  onFit(): void;
  onZoomSelection(): void;
  onExport(kind: 'png' | 'svg' | 'json'): void;
}

/** Renders the toolbar. */
export function GraphToolbar({ searchRef, onFit, onZoomSelection, onExport }: GraphToolbarProps) {
  const dto = useStudio(graphSelectors.dto);
  const query = useStudio(graphSelectors.query);
  const total = useStudio(graphSelectors.matchTotal);
  const cursor = useStudio(graphSelectors.matchCursor);
  const edgeLabels = useStudio(graphSelectors.edgeLabels);
  const unfold = useStudio(graphSelectors.unfoldWeights);
  const overlays = useStudio(graphSelectors.overlays);
  const active = useStudio((s) => s.graph.activeOverlay);
  const s = useStudio.getState();
  const crumbs: BreadcrumbProps[] = (dto?.breadcrumb ?? ['main']).map((text, i, all) => ({
    text,
    icon: i === 0 ? 'graph' : 'flow-branch',
    current: i === all.length - 1,
    onClick: i < all.length - 1 ? () => void s.goToLevel(i) : undefined,
  }));
  return (
    <div className="ds-graph-toolbar">
      <div className="ds-graph-crumbs" data-testid="graph-breadcrumb">
        <Breadcrumbs items={crumbs} />
      </div>
      <InputGroup
        inputRef={searchRef}
        className="ds-graph-search"
        leftIcon="search"
        placeholder="Find node, op or tensor  ( / )"
        value={query}
        size="small"
        onChange={(e) => s.setGraphQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') void s.stepMatch(e.shiftKey ? -1 : 1);
          if (e.key === 'Escape') {
            s.setGraphQuery('');
            e.currentTarget.blur();
          }
        }}
        data-testid="graph-search"
        rightElement={
          query ? (
            <span className="ds-search-count" data-testid="search-count">
              {total ? `${cursor >= 0 ? cursor + 1 : 0}/${total}` : 'none'}
              <Button size="small" variant="minimal" icon="chevron-up" aria-label="Previous match" onClick={() => void s.stepMatch(-1)} />
              <Button size="small" variant="minimal" icon="chevron-down" aria-label="Next match" onClick={() => void s.stepMatch(1)} />
            </span>
          ) : undefined
        }
      />
      <ButtonGroup>
        <Tooltip content="Zoom to fit (F)" compact>
          <Button size="small" icon="zoom-to-fit" onClick={onFit} aria-label="Zoom to fit" data-testid="zoom-fit" />
        </Tooltip>
        <Tooltip content="Zoom to selection (Z)" compact>
          <Button size="small" icon="locate" onClick={onZoomSelection} aria-label="Zoom to selection" />
        </Tooltip>
        <Tooltip content="Tensor shapes on edges (E)" compact>
          <Button size="small" icon="label" active={edgeLabels} onClick={() => s.setGraphOption('edgeLabels', !edgeLabels)} aria-label="Edge labels" data-testid="toggle-edge-labels" />
        </Tooltip>
        <Tooltip content="Weights as separate boxes (W)" compact>
          <Button size="small" icon="database" active={unfold} onClick={() => s.setGraphOption('unfoldWeights', !unfold)} aria-label="Unfold weights" />
        </Tooltip>
        <Tooltip content="Collapse groups to the overview" compact>
          <Button size="small" icon="collapse-all" onClick={() => void s.relayout({ expanded: 'initial' })} aria-label="Collapse groups" />
        </Tooltip>
      </ButtonGroup>
      <HTMLSelect
        minimal
        value={active ?? ''}
        onChange={(e) => s.setActiveOverlay(e.target.value || null)}
        aria-label="Overlay"
        data-testid="overlay-select"
        options={[{ value: '', label: 'No overlay' }, ...Object.values(overlays).map((o) => ({ value: o.id, label: o.title }))]}
      />
      <Popover
        placement="bottom-end"
        content={
          <Menu>
            <MenuItem icon="media" text="PNG image" onClick={() => onExport('png')} data-testid="export-png" />
            <MenuItem icon="draw" text="SVG drawing" onClick={() => onExport('svg')} data-testid="export-svg" />
            <MenuItem icon="code" text="Graph JSON" onClick={() => onExport('json')} data-testid="export-json" />
          </Menu>
        }
      >
        <Button size="small" icon="export" endIcon="caret-down" data-testid="export-menu">
          Export
        </Button>
      </Popover>
      <Button size="small" icon="comparison" onClick={() => void s.startDiff()} data-testid="start-diff">
        Compare…
      </Button>
    </div>
  );
}
