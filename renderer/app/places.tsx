/** The screen of each place; a place without a screen here shows as disabled in the rail. */
import type { ComponentType } from 'react';
import { GraphScreen } from '../screens/graph/graph-screen';
import { ModelScreen } from '../screens/model/model-screen';
import { OptimizeScreen } from '../screens/optimize/optimize-screen';
import { CompareScreen } from '../screens/compare/compare-screen';
import { TargetScreen } from '../screens/target/target-screen';
import { PackageScreen } from '../screens/package/package-screen';
import { DemoScreen } from '../screens/demo/demo-screen';
import type { Place } from '../store';

export const PLACE_SCREENS: Partial<Record<Place, ComponentType>> = {
  model: ModelScreen,
  graph: GraphScreen,
  target: TargetScreen,
  optimize: OptimizeScreen,
  compare: CompareScreen,
  demo: DemoScreen,
  package: PackageScreen,
};
