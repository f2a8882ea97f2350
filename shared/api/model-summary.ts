/** The model summary DTO: what `inspect` prints and the Model screen shows. */
import { z } from 'zod';

/** One dimension: a number, a symbolic name, or null when unknown. */
export const DimSchema = z.union([z.number(), z.string(), z.null()]);

export const TensorInfoSchema = z.object({
  name: z.string(),
  dtype: z.string(),
  /** null when the value has no tensor shape (unknown rank) */
  shape: z.array(DimSchema).nullable(),
  /** the ONNX type when it is not a tensor (sequence, map, optional) */
  kind: z.enum(['tensor', 'sparse_tensor', 'sequence', 'map', 'optional', 'opaque', 'unknown']),
  docString: z.string().optional(),
});
export type TensorInfo = z.infer<typeof TensorInfoSchema>;

/** How bad a problem the validator found is: `error` makes the model unusable, `warning` may, `info` suggests. */
export const ProblemSeveritySchema = z.enum(['error', 'warning', 'info']);
export type ProblemSeverity = z.infer<typeof ProblemSeveritySchema>;

/** One finding of the model validator: what is wrong, where, and what to do. */
export const ModelProblemSchema = z.object({
  severity: ProblemSeveritySchema,
  /** stable identifier of the rule, e.g. `UNDEFINED_INPUT`, `CYCLE`, `TENSOR_DATA_SIZE` */
  code: z.string(),
  /** what is wrong and where, in one sentence */
  message: z.string(),
  /** what to do about it */
  fix: z.string(),
  /** the graph concerned: `main`, or a path like `main/If_3.then_branch` */
  graph: z.string().optional(),
  /** the node concerned: its name, or `OpType#index` for an unnamed node */
  node: z.string().optional(),
  /** the node's position in its graph */
  nodeIndex: z.number().optional(),
  /** the tensor concerned */
  tensor: z.string().optional(),
  /** how many findings this entry stands for when it summarizes repeats of one rule (1 when absent) */
  count: z.number().optional(),
});
export type ModelProblem = z.infer<typeof ModelProblemSchema>;

export const ModelSummarySchema = z.object({
  path: z.string(),
  fileName: z.string(),
  fileSizeBytes: z.number(),
  /** bytes of tensors stored in external data files */
  externalDataBytes: z.number(),
  irVersion: z.number(),
  producerName: z.string(),
  producerVersion: z.string(),
  domain: z.string(),
  modelVersion: z.number(),
  docString: z.string(),
  opsetImports: z.record(z.string(), z.number()),
  inputs: z.array(TensorInfoSchema),
  outputs: z.array(TensorInfoSchema),
  nodeCount: z.number(),
  subgraphNodeCount: z.number(),
  initializerCount: z.number(),
  /** weights and biases (float or quantized); quantization scales and zero points are not counted here */
  paramCount: z.number(),
  /** quantization scales and zero points (0 for a float model) */
  quantParamCount: z.number().optional(),
  opCounts: z.record(z.string(), z.number()),
  weightBytesByDtype: z.record(z.string(), z.number()),
  metadataProps: z.record(z.string(), z.string()),
  functionCount: z.number(),
  hasTrainingInfo: z.boolean(),
  flops: z.number().nullable().optional(),
  macs: z.number().nullable().optional(),
  /** what the validator found at open, errors first */
  problems: z.array(ModelProblemSchema),
});
export type ModelSummary = z.infer<typeof ModelSummarySchema>;
