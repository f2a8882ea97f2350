/** The studio window: left rail, the current place, jobs panel and status bar; theme, shortcuts and drops. */
import { Classes, HotkeysProvider } from '@blueprintjs/core';
import { useEffect } from 'react';
import { studioClient } from '../services';
import { modelSelectors, uiSelectors, useStudio } from '../store';
import { preloadCharts } from '../components/echart';
import { afterFirstView } from '../store/first-view';
import { AppHotkeys } from './app-hotkeys';
import { DropOverlay } from './drop-overlay';
import { JobsPanel } from './jobs-panel';
import { ShortcutsDialog } from './shortcuts-dialog';
import { LeftRail } from './left-rail';
import { PlaceView } from './place-view';
import { preloadPlace } from './places';
import { StatusBar } from './status-bar';
import { UploadStatus } from './upload-status';

/**
 * Starts the studio before the first render: the engine connection, the model of the URL (`?model=`) or the sample,
 * and the chunk of the place the window opens on (`?place=graph` opens straight on the graph). Work the first view
 * does not need (host detection for the target list) waits until that view is drawn.
 */
export function startStudio(): void {
  const s = useStudio.getState();
  const { api, host } = studioClient();
  api.onEvent((event) => {
    if (event.type === 'job') useStudio.getState().applyJobEvent(event.event);
  });
  host.onMenu((command, arg) => {
    const st = useStudio.getState();
    if (command === 'open') void st.pickAndOpen();
    else if (command === 'open-sample') void st.openSample();
    else if (command === 'open-path' && arg) void st.openPath(arg);
    else if (command === 'toggle-theme') st.toggleTheme();
    else if (command === 'shortcuts') st.setShortcutsOpen(true);
  });
  const requested = new URLSearchParams(location.search).get('model');
  const opened = requested ? s.openPath(requested) : s.openSample();
  // while the engine opens the model: the Model place's chart library (its summary draws one), and the Graph place,
  // where most sessions go next
  if (s.place === 'model') preloadCharts();
  void preloadPlace(s.place).then(() => preloadPlace('graph'));
  void s.refreshRecent();
  void opened
    .then(() => afterFirstView(useStudio, useStudio.getState().modelId))
    .then(() => useStudio.getState().loadTargets());
}

/** The keys that open the shortcuts dialog: `?` everywhere, F1 where the desktop app's Help menu binds it. */
const HELP_COMBOS = studioClient().host.kind === 'electron' ? ['?', 'f1'] : ['?'];

/** The root component. */
export function App() {
  const theme = useStudio(uiSelectors.theme);
  const summary = useStudio(modelSelectors.summary);
  useEffect(() => {
    document.body.classList.toggle(Classes.DARK, theme === 'dark');
    document.body.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    document.title = summary ? `${summary.fileName} — Deploy Studio` : 'Deploy Studio';
  }, [summary]);
  return (
    <HotkeysProvider
      renderDialog={(state, { handleDialogClose }) => (
        <ShortcutsDialog isOpen={state.isDialogOpen} onClose={handleDialogClose} registered={state.hotkeys} helpCombos={HELP_COMBOS} />
      )}
    >
      <div className="ds-app">
        <AppHotkeys />
        <LeftRail />
        <main className="ds-main">
          <PlaceView />
          <JobsPanel />
        </main>
        <StatusBar />
        <DropOverlay />
        <UploadStatus />
      </div>
    </HotkeysProvider>
  );
}
