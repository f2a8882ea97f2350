/** Datasets for evaluation and calibration: image class folders, `.npy` arrays, ONNX `test_data_set_*` folders. */
export type { Dataset, DatasetBatch, DatasetItem, DatasetOptions, ModelIo, ModelValueInfo } from './dataset';
export { SkipLog } from './dataset';
export { detectDatasetKind, modelIo, openDataset } from './open-dataset';
export { hasDynamicBatch, stack } from './batching';
export { pickSubset } from './subset';
