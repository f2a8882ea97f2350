/** Result DTOs of evaluation: datasets, skip reports, accuracy and fidelity metrics, comparisons and recipe searches. */
import type { Recipe } from '../recipes/recipe';
import type { PreprocessConfig } from './preprocess';
import type { ResolvedSessionOptions } from './runtime-dto';
import type { DataOverlapDto } from '../evaluate/data-overlap';

/** The dataset formats the studio reads. */
export type DatasetKind = 'image-folder' | 'npy' | 'onnx-test-data';

/** Items left out of an evaluation for one reason. */
export interface SkipReasonDto {
  /** short, stable text (`unreadable image`, `class folder not in the labels`, `wrong input shape`) */
  reason: string;
  count: number;
  /** the first few items with the detail of what went wrong */
  examples: Array<{ item: string; detail: string }>;
}

/** Everything left out, counted by reason; never silently dropped. */
export interface SkipReportDto {
  count: number;
  reasons: SkipReasonDto[];
}

/** What a dataset holds, as scanned (before any item is decoded). */
export interface DatasetInfoDto {
  kind: DatasetKind;
  path: string;
  /** items found (before the subset) that could be used */
  foundCount: number;
  /** items that will be evaluated (after the subset) */
  itemCount: number;
  /** `first N`, `random N (seed S)` or `all` */
  subset: string;
  /** class names by index, when the data is labelled */
  classNames: string[] | null;
  /** where class indices came from (`classes.json`, `labels.txt`, `sorted folder names`, `labels.npy`) */
  labelsSource: string | null;
  hasLabels: boolean;
  /** ONNX test data with expected outputs */
  hasExpectedOutputs: boolean;
  /** the preprocessing config used for images */
  preprocess: PreprocessConfig | null;
  /** a file path, `request`, or `derived from the input shape` */
  preprocessSource: string | null;
  skipped: SkipReportDto;
}

/** Top-k accuracy and the confusion matrix of a classifier on labelled data. */
export interface ClassificationMetricsDto {
  /** items with a label the model's classes know */
  count: number;
  top1: number;
  /** null when the model has fewer than 5 classes */
  top5: number | null;
  classCount: number;
  /** the classes the confusion matrix covers, by index: every class when there are few, else those with the most items */
  confusionClasses: number[];
  /** rows: true class, columns: predicted class (both over `confusionClasses`) */
  confusion: number[][];
  /** why the matrix leaves classes out, when it does */
  confusionNote: string | null;
  /** per class present in the labels: items, recall (correct / items) */
  perClass: Array<{ index: number; name: string; count: number; correct: number; recall: number | null }>;
}

/** How closely a model's outputs follow a reference model's on the same inputs. */
export interface FidelityMetricsDto {
  count: number;
  /** share of items whose top-1 class equals the reference's (classifier outputs only) */
  agreementTop1: number | null;
  /** mean over items of the cosine similarity of the output vectors */
  cosine: number;
  /** 10·log10(Σ ref² / Σ (out − ref)²); null when the outputs equal the reference exactly (no error at all) */
  snrDb: number | null;
  maxAbsError: number;
  meanAbsError: number;
}

/** ONNX test data: outputs against the stored expected outputs. */
export interface ExpectedMatchDto {
  count: number;
  matched: number;
  /** the tolerance used: |out − exp| ≤ atol + rtol·|exp| */
  rtol: number;
  atol: number;
  maxAbsError: number;
  failures: Array<{ item: string; output: string; detail: string }>;
}

/** One model evaluated on one dataset. */
export interface EvaluationDto {
  modelPath: string;
  fileName: string;
  outputName: string;
  dataset: DatasetInfoDto;
  /** items actually run (after skips while reading) */
  evaluated: number;
  classification: ClassificationMetricsDto | null;
  fidelity: FidelityMetricsDto | null;
  expected: ExpectedMatchDto | null;
  /** mean model time per item, milliseconds (runs only, no decoding) */
  msPerItem: number;
  warnings: string[];
}

/** Latency percentiles, milliseconds. */
export interface LatencyPercentilesDto {
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

/** One variant's row in a comparison. */
export interface CompareRowDto {
  /** the variant's name or the file's name */
  name: string;
  modelPath: string;
  variantId: string | null;
  kind: string;
  isReference: boolean;
  /** null when the model is not a classifier or the data has no labels */
  accuracyTop1: number | null;
  accuracyTop5: number | null;
  /** against the reference (1 for the reference itself) */
  agreementTop1: number | null;
  /** null for the reference itself and for outputs identical to it */
  snrDb: number | null;
  cosine: number | null;
  maxAbsError: number | null;
  meanAbsError: number | null;
  expectedMatched: number | null;
  latencyMs: LatencyPercentilesDto;
  /** every measured latency (one run of the timing batch), in run order */
  latenciesMs: number[];
  /** items per second at the timing batch size */
  throughput: number;
  sizeBytes: number;
  /** peak resident memory of the inference process while this variant ran, bytes */
  peakRssBytes: number;
  macs: number | null;
  params: number;
  /** the confusion matrix over `confusionClasses` (see {@link ClassificationMetricsDto}) */
  confusion: number[][] | null;
  confusionClasses: number[] | null;
  confusionNote: string | null;
  /** differences against the reference: negative latency and size are good, negative accuracy is bad */
  delta: {
    accuracyTop1: number | null;
    latencyP50Ms: number;
    latencyP50Ratio: number;
    sizeBytes: number;
    sizeRatio: number;
  };
  recipe: Recipe | null;
}

/** A comparison of N variants on the same data, run alternately. */
export interface CompareResultDto {
  createdAt: string;
  dataset: DatasetInfoDto;
  /** items run through each model for the metrics */
  evaluated: number;
  classNames: string[] | null;
  targetId: string | null;
  sessionOptions: ResolvedSessionOptions;
  /** latency rounds: every round runs each variant once, in a rotating order */
  timingRounds: number;
  timingBatch: number;
  referenceIndex: number;
  rows: CompareRowDto[];
  /** indices of rows on the accuracy/latency Pareto front */
  paretoFront: number[];
  host: { platform: string; arch: string; cpus: number; cpuModel: string; onnxruntime: string };
  warnings: string[];
  /** where the evaluation data is (by content) data a compared variant was calibrated, recovered or validated on */
  dataOverlaps?: DataOverlapDto[];
  /** the model the variants are of (its original's file name without `.onnx`), for report names and titles */
  modelName?: string;
}

/** One recipe the search tried. */
export interface SearchCandidateDto {
  label: string;
  recipe: Recipe;
  /** null when making or evaluating it failed */
  row: CompareRowDto | null;
  error: string | null;
  /** accuracy (or agreement) drop against the original, in points of [0, 1] */
  drop: number | null;
  meetsDrop: boolean;
  onFront: boolean;
  /** where the model was written (kept for the recommended one) */
  modelPath: string | null;
}

/** What a recipe search found. */
export interface SearchResultDto {
  maxDrop: number;
  /** `accuracyTop1` when the data is labelled, else `agreementTop1` */
  metric: 'accuracyTop1' | 'agreementTop1';
  passesAvailable: string[];
  original: CompareRowDto;
  candidates: SearchCandidateDto[];
  /** index into candidates of the fastest meeting the drop, or null when none does */
  recommended: number | null;
  comparison: CompareResultDto;
}
