/** The screen of each place; a place without a screen here shows as disabled in the rail. */
import type { ComponentType } from 'react';
import { ModelScreen } from '../screens/model/model-screen';
import { OptimizeScreen } from '../screens/optimize/optimize-screen';
import type { Place } from '../store';

export const PLACE_SCREENS: Partial<Record<Place, ComponentType>> = {
  model: ModelScreen,
  optimize: OptimizeScreen,
};
