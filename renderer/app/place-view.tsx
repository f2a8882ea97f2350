/** Shows the screen of the current place (loading its chunk first when it is not loaded yet). */
import { Button, NonIdealState, Spinner } from '@blueprintjs/core';
import { Component, Suspense, type ReactNode } from 'react';
import { uiSelectors, useStudio } from '../store';
import { PLACE_LABELS } from './app-hotkeys';
import { PLACE_SCREENS } from './places';

/** Catches a screen chunk that could not be loaded (the server stopped, the build changed) and says what to do. */
class ScreenBoundary extends Component<{ label: string; children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <NonIdealState
        icon="error"
        title={`${this.props.label} could not be shown`}
        description={`${this.state.error.message}. Reload the window; if you use \`deploy-studio serve\`, check that it is still running.`}
        action={<Button icon="refresh" onClick={() => location.reload()}>Reload</Button>}
      />
    );
  }
}

/** Renders the current place's screen. */
export function PlaceView() {
  const place = useStudio(uiSelectors.place);
  const Screen = PLACE_SCREENS[place];
  if (Screen) {
    return (
      <ScreenBoundary key={place} label={PLACE_LABELS[place]}>
        <Suspense fallback={<NonIdealState icon={<Spinner />} title={`Loading ${PLACE_LABELS[place]}…`} />}>
          <Screen />
        </Suspense>
      </ScreenBoundary>
    );
  }
  return (
    <NonIdealState
      icon="build"
      title={`${PLACE_LABELS[place]} is not in this build`}
      description="Go back to the Model place to open and inspect a model."
    />
  );
}
