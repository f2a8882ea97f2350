import { describe, expect, it } from 'vitest';
import { StudioError, toErrorDto } from './errors';

describe('StudioError details', () => {
  it('keeps onnxruntime\'s own text beside the one-line message, across serialization', () => {
    const err = new StudioError('INFERENCE_FAILED', 'onnxruntime cannot run node "a" (Reshape): …', { details: { onnxruntime: 'raw text' } });
    const dto = toErrorDto(err);
    expect(dto).toEqual({ code: 'INFERENCE_FAILED', message: 'onnxruntime cannot run node "a" (Reshape): …', details: { onnxruntime: 'raw text' } });
    expect(toErrorDto(JSON.parse(JSON.stringify(dto)))).toEqual(dto);
    expect(StudioError.fromDto(dto).details).toEqual({ onnxruntime: 'raw text' });
  });

  it('passes the details of its cause on when it wraps another StudioError', () => {
    const inner = new StudioError('INFERENCE_FAILED', 'inner', { details: { onnxruntime: 'raw' } });
    expect(new StudioError('INFERENCE_FAILED', 'outer', { cause: inner }).details).toEqual({ onnxruntime: 'raw' });
  });

  it('has no details field when there are none, and drops malformed ones', () => {
    expect(toErrorDto(new StudioError('INVALID_MODEL', 'x'))).toEqual({ code: 'INVALID_MODEL', message: 'x' });
    expect(toErrorDto({ code: 'INVALID_MODEL', message: 'x', details: { onnxruntime: 3 } })).toEqual({ code: 'INVALID_MODEL', message: 'x' });
  });
});
