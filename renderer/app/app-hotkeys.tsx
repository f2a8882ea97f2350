/** Global keyboard shortcuts; the shortcuts dialog lists them (press ?, or F1 / Help menu in the desktop app). */
import { HotkeysContext, useHotkeys, type HotkeyConfig } from '@blueprintjs/core';
import { useContext, useEffect, useMemo } from 'react';
import { PLACES, useStudio } from '../store';

const PLACE_LABELS: Record<string, string> = {
  model: 'Model',
  graph: 'Graph',
  target: 'Target',
  optimize: 'Optimize',
  compare: 'Compare',
  demo: 'Demo',
  package: 'Package',
};

/** Registers the shortcuts; renders nothing. */
export function AppHotkeys() {
  const hotkeys = useMemo<HotkeyConfig[]>(
    () => [
      { combo: 'mod+o', global: true, group: 'File', label: 'Open a model…', preventDefault: true, onKeyDown: () => void useStudio.getState().pickAndOpen() },
      { combo: 'mod+shift+o', global: true, group: 'File', label: 'Open the sample model', preventDefault: true, onKeyDown: () => void useStudio.getState().openSample() },
      { combo: 'mod+shift+l', global: true, group: 'View', label: 'Toggle light / dark theme', preventDefault: true, onKeyDown: () => useStudio.getState().toggleTheme() },
      ...PLACES.map((place, i) => ({
        combo: `mod+${i + 1}`,
        global: true,
        group: 'Go to',
        label: PLACE_LABELS[place],
        preventDefault: true,
        onKeyDown: () => useStudio.getState().setPlace(place),
      })),
    ],
    [],
  );
  useHotkeys(hotkeys, { showDialogKeyCombo: '?' });
  useShortcutsDialog();
  return null;
}

/** The Help menu (and its F1 accelerator in the desktop app) opens the shortcuts dialog through the hotkeys context. */
function useShortcutsDialog(): void {
  const open = useStudio((s) => s.shortcutsOpen);
  const [, dispatch] = useContext(HotkeysContext);
  useEffect(() => {
    if (!open) return;
    useStudio.getState().setShortcutsOpen(false);
    dispatch({ type: 'OPEN_DIALOG' });
  }, [open, dispatch]);
}

export { PLACE_LABELS };
