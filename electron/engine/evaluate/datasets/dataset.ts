/** The dataset contract every reader implements: items that load lazily, a skip log, and streamed batches. */
import type { DatasetInfoDto, DatasetKind, SkipReportDto } from '../../../../shared/api/evaluate-dto';
import type { PreprocessConfig } from '../../../../shared/api/preprocess';
import type { HostTensor } from '../../runtime/backend';

/** A model input or output as a dataset sees it: name, element type and declared shape. */
export interface ModelValueInfo {
  name: string;
  dtype: string;
  shape: Array<number | string | null> | null;
}

/** Inputs and outputs of the model a dataset feeds. */
export interface ModelIo {
  inputs: ModelValueInfo[];
  outputs: ModelValueInfo[];
}

/** One item: an image, one row of an array, or one `test_data_set_*` folder. */
export interface DatasetItem {
  /** what the user knows it by (`bag/3.png`, `inputs.npy[17]`, `test_data_set_0`) */
  id: string;
  /** the class index, when the data is labelled */
  label: number | null;
  /** decodes the item's feeds; each tensor has the model's shape for one item (batch dimension 1 where it has one) */
  load(): Promise<Record<string, HostTensor>>;
  /** the expected outputs (ONNX test data) */
  expected?: () => Promise<Record<string, HostTensor>>;
}

/** Options every reader takes. */
export interface DatasetOptions {
  /** the dataset folder or file */
  path: string;
  /** image preprocessing; when left out, `preprocess.json` is looked for, else derived from the input shape */
  preprocess?: PreprocessConfig;
  /** where `preprocess` came from, for reports */
  preprocessSource?: string;
  /** class labels: a text file (one a line) for images, a `.npy` of class indices for arrays */
  labelsPath?: string;
  /** evaluate only this many items */
  limit?: number;
  /** which items `limit` keeps: the first ones, or a seeded random choice */
  sampling?: 'first' | 'random';
  seed?: number;
  /** the model's folders (its own and its original's): `preprocess.json` there comes first; `labels.txt`/`classes.json` there apply when they name the data's class folders */
  configDirs?: string[];
}

/** What a reader finds when it scans. */
export interface ScannedDataset {
  kind: DatasetKind;
  path: string;
  items: DatasetItem[];
  classNames: string[] | null;
  labelsSource: string | null;
  preprocess: PreprocessConfig | null;
  preprocessSource: string | null;
  /** true when items stack along a batch axis (images, array rows); ONNX test data feeds whole tensors */
  batchable: boolean;
  skips: SkipLog;
}

/** A batch of items ready to run. */
export interface DatasetBatch {
  ids: string[];
  /** class indices (null per item without a label); null when the dataset has no labels */
  labels: Array<number | null> | null;
  inputs: Record<string, HostTensor>;
  /** expected outputs of the (single) item, for ONNX test data */
  expected: Record<string, HostTensor> | null;
}

/** A dataset opened for one model. */
export interface Dataset {
  readonly info: DatasetInfoDto;
  readonly skips: SkipLog;
  /** the items that will be read, in order */
  readonly items: readonly DatasetItem[];
  /**
   * Reads the items in batches; an item that fails to decode or has the wrong shape is skipped and counted.
   * @param batchSize - items per batch (1 when the model's batch dimension is fixed or the data is not batchable)
   * @param signal - stops between items when aborted
   */
  batches(batchSize: number, signal?: AbortSignal): AsyncGenerator<DatasetBatch>;
  /** @returns the largest batch the model accepts, capped at `wanted` */
  maxBatch(wanted: number): number;
}

const MAX_EXAMPLES = 5;

/** Counts what was left out and why (house rule: never a silently wrong metric). */
export class SkipLog {
  private readonly reasons = new Map<string, { count: number; examples: Array<{ item: string; detail: string }> }>();
  private total = 0;

  /**
   * Records a skipped item.
   * @param reason - short, stable text shared by items skipped for the same cause
   * @param item - the item's id
   * @param detail - what exactly was wrong with it
   */
  add(reason: string, item: string, detail: string): void {
    let r = this.reasons.get(reason);
    if (!r) {
      r = { count: 0, examples: [] };
      this.reasons.set(reason, r);
    }
    r.count++;
    this.total++;
    if (r.examples.length < MAX_EXAMPLES) r.examples.push({ item, detail });
  }

  get count(): number {
    return this.total;
  }

  /** @returns the report (reasons by count, most frequent first). */
  toDto(): SkipReportDto {
    const reasons = [...this.reasons.entries()]
      .map(([reason, r]) => ({ reason, count: r.count, examples: r.examples.map((e) => ({ ...e })) }))
      .sort((a, b) => b.count - a.count);
    return { count: this.total, reasons };
  }

  /** @returns one line like `3 skipped: 2 unreadable image, 1 wrong input shape`. */
  summary(): string {
    if (!this.total) return 'nothing skipped';
    return `${this.total} skipped: ${this.toDto()
      .reasons.map((r) => `${r.count} ${r.reason}`)
      .join(', ')}`;
  }
}
