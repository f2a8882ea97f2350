/** The studio window: left rail, the current place, jobs panel and status bar; theme, shortcuts and drops. */
import { Classes, HotkeysProvider } from '@blueprintjs/core';
import { useEffect } from 'react';
import { studioClient } from '../services';
import { modelSelectors, uiSelectors, useStudio } from '../store';
import { AppHotkeys } from './app-hotkeys';
import { DropOverlay } from './drop-overlay';
import { JobsPanel } from './jobs-panel';
import { LeftRail } from './left-rail';
import { PlaceView } from './place-view';
import { StatusBar } from './status-bar';

function useStartup(): void {
  useEffect(() => {
    const s = useStudio.getState();
    const { api, host } = studioClient();
    const unsubscribe = api.onEvent((event) => {
      if (event.type === 'job') useStudio.getState().applyJobEvent(event.event);
    });
    const offMenu = host.onMenu((command, arg) => {
      const st = useStudio.getState();
      if (command === 'open') void st.pickAndOpen();
      else if (command === 'open-sample') void st.openSample();
      else if (command === 'open-path' && arg) void st.openPath(arg);
      else if (command === 'toggle-theme') st.toggleTheme();
      else if (command === 'shortcuts') st.setShortcutsOpen(true);
    });
    const requested = new URLSearchParams(location.search).get('model');
    void (requested ? s.openPath(requested) : s.openSample());
    void s.refreshRecent();
    return () => {
      unsubscribe();
      offMenu();
    };
  }, []);
}

/** The root component. */
export function App() {
  const theme = useStudio(uiSelectors.theme);
  const summary = useStudio(modelSelectors.summary);
  useStartup();
  useEffect(() => {
    document.body.classList.toggle(Classes.DARK, theme === 'dark');
    document.body.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    document.title = summary ? `${summary.fileName} — Deploy Studio` : 'Deploy Studio';
  }, [summary]);
  return (
    <HotkeysProvider>
      <div className="ds-app">
        <AppHotkeys />
        <LeftRail />
        <main className="ds-main">
          <PlaceView />
          <JobsPanel />
        </main>
        <StatusBar />
        <DropOverlay />
      </div>
    </HotkeysProvider>
  );
}
