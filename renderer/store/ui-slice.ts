/** UI slice: the current place, theme and overlays. */
import type { StateCreator } from 'zustand';
import type { StudioState } from './index';

export const PLACES = ['model', 'graph', 'target', 'optimize', 'compare', 'demo', 'package'] as const;
export type Place = (typeof PLACES)[number];
export type Theme = 'light' | 'dark';

export interface UiSlice {
  place: Place;
  theme: Theme;
  shortcutsOpen: boolean;
  setPlace(place: Place): void;
  toggleTheme(): void;
  setShortcutsOpen(open: boolean): void;
}

const THEME_KEY = 'deploy-studio.theme';

function initialTheme(): Theme {
  try {
    const saved = localStorage.getItem(THEME_KEY);
    if (saved === 'light' || saved === 'dark') return saved;
  } catch {
    // storage may be unavailable
  }
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

/** @returns the place the window opens on: `?place=graph` in the URL (a deep link), else Model. */
export function initialPlace(search = typeof location === 'undefined' ? '' : location.search): Place {
  const asked = new URLSearchParams(search).get('place');
  return (PLACES as readonly string[]).includes(asked ?? '') ? (asked as Place) : 'model';
}

export const createUiSlice: StateCreator<StudioState, [], [], UiSlice> = (set, get) => ({
  place: initialPlace(),
  theme: initialTheme(),
  shortcutsOpen: false,
  setPlace: (place) => set({ place }),
  toggleTheme: () => {
    const theme: Theme = get().theme === 'dark' ? 'light' : 'dark';
    try {
      localStorage.setItem(THEME_KEY, theme);
    } catch {
      // not persisted, still applied
    }
    set({ theme });
  },
  setShortcutsOpen: (shortcutsOpen) => set({ shortcutsOpen }),
});

/** Named selectors of the UI slice. */
export const uiSelectors = {
  place: (s: StudioState) => s.place,
  theme: (s: StudioState) => s.theme,
  shortcutsOpen: (s: StudioState) => s.shortcutsOpen,
};
