/**
 * The screen of each place; a place without a screen here shows as disabled in the rail. Screens other than Model
 * are separate chunks loaded on first use (or preloaded), so the first paint ships less JavaScript.
 */
import { lazy, type ComponentType } from 'react';
import { ModelScreen } from '../screens/model/model-screen';
import type { Place } from '../store';

type Loader = () => Promise<{ default: ComponentType }>;

const loaders: Partial<Record<Place, Loader>> = {
  graph: () => import('../screens/graph/graph-screen').then((m) => ({ default: m.GraphScreen })),
  target: () => import('../screens/target/target-screen').then((m) => ({ default: m.TargetScreen })),
  optimize: () => import('../screens/optimize/optimize-screen').then((m) => ({ default: m.OptimizeScreen })),
  compare: () => import('../screens/compare/compare-screen').then((m) => ({ default: m.CompareScreen })),
  demo: () => import('../screens/demo/demo-screen').then((m) => ({ default: m.DemoScreen })),
  package: () => import('../screens/package/package-screen').then((m) => ({ default: m.PackageScreen })),
};

const loading = new Map<Place, Promise<{ default: ComponentType }>>();

/** Starts loading a place's screen chunk (once; a failed load is tried again next time). @returns when it is loaded */
export function preloadPlace(place: Place): Promise<unknown> {
  const load = loaders[place];
  if (!load) return Promise.resolve();
  let p = loading.get(place);
  if (!p) {
    p = load();
    loading.set(place, p);
    p.catch(() => loading.delete(place));
  }
  return p;
}

const lazyScreen = (place: Place): ComponentType => lazy(() => preloadPlace(place) as Promise<{ default: ComponentType }>);

export const PLACE_SCREENS: Partial<Record<Place, ComponentType>> = {
  model: ModelScreen,
  graph: lazyScreen('graph'),
  target: lazyScreen('target'),
  optimize: lazyScreen('optimize'),
  compare: lazyScreen('compare'),
  demo: lazyScreen('demo'),
  package: lazyScreen('package'),
};
