/** The left rail: the places in the order of the work. */
import { Button, Classes, Tooltip } from '@blueprintjs/core';
import type { IconName } from '@blueprintjs/icons';
import { PLACES, uiSelectors, useStudio, type Place } from '../store';
import { PLACE_LABELS } from './app-hotkeys';
import { PLACE_SCREENS } from './places';

const ICONS: Record<Place, IconName> = {
  model: 'cube',
  graph: 'graph',
  target: 'desktop',
  optimize: 'clean',
  compare: 'comparison',
  demo: 'play',
  package: 'box',
};

/** Renders the rail. */
export function LeftRail() {
  const place = useStudio(uiSelectors.place);
  const setPlace = useStudio((s) => s.setPlace);
  return (
    <nav className="ds-rail" aria-label="Places">
      <div className="ds-rail-brand" title="Deploy Studio">
        <span className="ds-logo">DS</span>
      </div>
      {PLACES.map((p, i) => {
        const available = Boolean(PLACE_SCREENS[p]);
        const tip = available ? `${PLACE_LABELS[p]} (Ctrl+${i + 1})` : `${PLACE_LABELS[p]}: not in this build yet`;
        return (
          <Tooltip key={p} content={tip} placement="right" compact>
            <Button
              className={`ds-rail-item ${Classes.MINIMAL}`}
              variant="minimal"
              icon={ICONS[p]}
              active={place === p}
              disabled={!available}
              aria-label={PLACE_LABELS[p]}
              aria-current={place === p ? 'page' : undefined}
              data-place={p}
              onClick={() => setPlace(p)}
            >
              <span className="ds-rail-label">{PLACE_LABELS[p]}</span>
            </Button>
          </Tooltip>
        );
      })}
    </nav>
  );
}
