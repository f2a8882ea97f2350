/** Fills the dtype and shape of main-graph tensors the model does not record, from the analysis' static inference. */
import type { TensorShapeDto } from '../../../shared/api/analysis-api';
import type { DimDto, GraphDto } from '../../../shared/graph/graph-dto';

/** Graphs up to this many nodes get inferred shapes with their DTO (inference on bigger ones would delay the view). */
export const INFER_SHAPES_MAX_NODES = 5000;

/**
 * @param dto - a main-graph DTO (changed in place)
 * @param tensors - the analysis' tensor shapes
 * @returns how many tensors got a dtype or shape they lacked
 */
export function fillInferredShapes(dto: GraphDto, tensors: readonly TensorShapeDto[]): number {
  const byName = new Map<string, TensorShapeDto>();
  for (const t of tensors) if (t.graph === 'main') byName.set(t.name, t);
  let filled = 0;
  for (const t of dto.tensors) {
    const inferred = byName.get(t.name);
    if (!inferred) continue;
    let changed = false;
    if (t.dtype === 'unknown' && inferred.dtype && inferred.dtype !== 'unknown') {
      t.dtype = inferred.dtype;
      changed = true;
    }
    if (!t.shape && inferred.shape) {
      t.shape = inferred.shape as DimDto[];
      changed = true;
    }
    if (changed) filled++;
  }
  return filled;
}
