/** Error codes and the serializable error value that crosses every boundary (house style 12). */

/** Codes an engine error can carry; each has a message a user can act on. */
export const ERROR_CODES = [
  'NOT_ONNX',
  'TRUNCATED_MODEL',
  'FILE_NOT_FOUND',
  'FILE_UNREADABLE',
  'EXTERNAL_DATA_MISSING',
  'EXTERNAL_DATA_OUTSIDE_MODEL_DIR',
  'EXTERNAL_DATA_OUT_OF_RANGE',
  'MODEL_TOO_LARGE',
  'INVALID_MODEL',
  'UNSUPPORTED_OP',
  'INVALID_REQUEST',
  'UNKNOWN_MODEL',
  'UNKNOWN_METHOD',
  'ACCESS_DENIED',
  'JOB_CANCELLED',
  'JOB_FAILED',
  'WORKER_CRASHED',
  'INVALID_INPUT',
  'INFERENCE_FAILED',
  'OUTPUT_EXISTS',
  'CONVERSION_FAILED',
  'BUILD_TOOLS_MISSING',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** What a lower layer said about an error, kept beside the studio's one-line message (logs, `--json`, a details view). */
export interface StudioErrorDetails {
  /** onnxruntime's own message, unchanged */
  onnxruntime?: string;
}

/** The plain error shape sent to front ends: never a stack trace. */
export interface StudioErrorDto {
  code: ErrorCode;
  message: string;
  details?: StudioErrorDetails;
}

/**
 * An error with a code and a user-facing message.
 * @remarks Thrown by the engine; converted to {@link StudioErrorDto} at process boundaries.
 */
export class StudioError extends Error {
  readonly code: ErrorCode;
  /** what a lower layer said (a StudioError wrapping another keeps the details of its cause) */
  readonly details?: StudioErrorDetails;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: StudioErrorDetails }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StudioError';
    this.code = code;
    const details = options?.details ?? (options?.cause instanceof StudioError ? options.cause.details : undefined);
    if (details) this.details = details;
  }

  /** @returns the serializable form of this error. */
  toDto(): StudioErrorDto {
    return { code: this.code, message: this.message, ...(this.details ? { details: { ...this.details } } : {}) };
  }

  /** @returns the error a serialized {@link StudioErrorDto} stands for, details included. */
  static fromDto(dto: StudioErrorDto): StudioError {
    return new StudioError(dto.code, dto.message, dto.details ? { details: dto.details } : undefined);
  }
}

function detailsOf(v: unknown): StudioErrorDetails | undefined {
  const ort = typeof v === 'object' && v !== null ? (v as StudioErrorDetails).onnxruntime : undefined;
  return typeof ort === 'string' ? { onnxruntime: ort } : undefined;
}

/**
 * Turns anything thrown into a {@link StudioErrorDto}.
 * @param err - the thrown value
 * @returns a coded error; unknown errors become `INTERNAL` with their message
 */
export function toErrorDto(err: unknown): StudioErrorDto {
  if (err instanceof StudioError) return err.toDto();
  if (isErrorDto(err)) {
    const details = detailsOf(err.details);
    return { code: err.code, message: err.message, ...(details ? { details } : {}) };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: message || 'Unexpected internal error.' };
}

/** @returns true when `v` looks like a serialized {@link StudioErrorDto}. */
export function isErrorDto(v: unknown): v is StudioErrorDto {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as StudioErrorDto).code === 'string' &&
    (ERROR_CODES as readonly string[]).includes((v as StudioErrorDto).code) &&
    typeof (v as StudioErrorDto).message === 'string'
  );
}
