/** Shows the screen of the current place. */
import { NonIdealState } from '@blueprintjs/core';
import { ModelScreen } from '../screens/model/model-screen';
import { uiSelectors, useStudio } from '../store';
import { PLACE_LABELS } from './app-hotkeys';

/** Renders the current place's screen. */
export function PlaceView() {
  const place = useStudio(uiSelectors.place);
  if (place === 'model') return <ModelScreen />;
  return (
    <NonIdealState
      icon="build"
      title={`${PLACE_LABELS[place]} is not in this build`}
      description="Go back to the Model place to open and inspect a model."
    />
  );
}
