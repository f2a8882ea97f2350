/** Shows the screen of the current place. */
import { NonIdealState } from '@blueprintjs/core';
import { uiSelectors, useStudio } from '../store';
import { PLACE_LABELS } from './app-hotkeys';
import { PLACE_SCREENS } from './places';

/** Renders the current place's screen. */
export function PlaceView() {
  const place = useStudio(uiSelectors.place);
  const Screen = PLACE_SCREENS[place];
  if (Screen) return <Screen />;
  return (
    <NonIdealState
      icon="build"
      title={`${PLACE_LABELS[place]} is not in this build`}
      description="Go back to the Model place to open and inspect a model."
    />
  );
}
