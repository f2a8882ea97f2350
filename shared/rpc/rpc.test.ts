/** The RPC channel: call and result, error replies, progress, cancellation, the port closing, events, JSON text. */
import { describe, expect, it } from 'vitest';
import { StudioError } from '../api/errors';
import { decodeJson, encodeJson, JsonText } from './json-codec';
import type { Port, RpcMessage } from './messages';
import { RpcClient } from './rpc-client';
import { cancelledError, RpcServer, type RpcHandler } from './rpc-server';

/** Two ports joined back to back; messages cross asynchronously (as they do between processes). */
function portPair(): { a: Port; b: Port; close(reason: unknown): void; sent: RpcMessage[] } {
  const listeners = { a: [] as Array<(m: unknown) => void>, b: [] as Array<(m: unknown) => void> };
  const closers: Array<(r: unknown) => void> = [];
  const sent: RpcMessage[] = [];
  let open = true;
  const side = (to: 'a' | 'b'): Port => ({
    send: (m) => {
      if (!open) return;
      sent.push(m);
      const copy = structuredClone(m);
      queueMicrotask(() => {
        if (open) for (const l of listeners[to]) l(copy);
      });
    },
    onMessage: (l) => listeners[to === 'a' ? 'b' : 'a'].push(l),
    onClose: (l) => closers.push(l),
  });
  return {
    a: side('b'),
    b: side('a'),
    sent,
    close: (reason) => {
      open = false;
      for (const c of closers) c(reason);
    },
  };
}

function connect(handler: RpcHandler, options?: ConstructorParameters<typeof RpcClient>[1]) {
  const pair = portPair();
  const client = new RpcClient(pair.a, options);
  const server = new RpcServer(pair.b, handler);
  return { client, server, ...pair };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('RpcClient and RpcServer', () => {
  it('answers a call with its value, matching results to calls by id', async () => {
    const { client } = connect(async (method, params) => {
      const n = (params as { n: number }).n;
      if (method === 'slow') await new Promise((r) => setTimeout(r, 10));
      return { method, twice: n * 2 };
    });
    const slow = client.call('slow', { n: 1 });
    const fast = client.call('fast', { n: 2 });
    expect(await fast).toEqual({ method: 'fast', twice: 4 });
    expect(await slow).toEqual({ method: 'slow', twice: 2 });
    expect(client.pendingCount).toBe(0);
  });

  it('rejects with the StudioError the handler threw, code and message kept; other throws become INTERNAL', async () => {
    const { client } = connect((method) => {
      if (method === 'coded') throw new StudioError('UNKNOWN_MODEL', 'No model "m".');
      throw new Error('boom');
    });
    await expect(client.call('coded', {})).rejects.toMatchObject({ name: 'StudioError', code: 'UNKNOWN_MODEL', message: 'No model "m".' });
    await expect(client.call('other', {})).rejects.toMatchObject({ code: 'INTERNAL', message: 'boom' });
  });

  it('lets the client shape error replies', async () => {
    const { client } = connect(() => {
      throw cancelledError();
    }, { replyError: (call, e) => new StudioError(e.code, `${call.label}: ${e.message}`) });
    await expect(client.call('run', {}, { label: 'the run' })).rejects.toMatchObject({ code: 'JOB_CANCELLED', message: 'the run: The call was cancelled.' });
  });

  it('delivers progress to the call that reports it, and none after its result', async () => {
    const { client, sent } = connect(async (_m, _p, ctx) => {
      ctx.progress(0.5, 'half');
      setTimeout(() => ctx.progress(0.9, 'late'), 0);
      return 'done';
    });
    const seen: Array<[number, string]> = [];
    expect(await client.call('work', {}, { onProgress: (f, s) => seen.push([f, s]) })).toBe('done');
    await new Promise((r) => setTimeout(r, 5));
    expect(seen).toEqual([[0.5, 'half']]);
    expect(sent.filter((m) => m.type === 'progress')).toHaveLength(1);
  });

  it('cancels: the signal sends a cancel, the handler sees its signal abort, the call ends with its result', async () => {
    let aborted = false;
    const { client, sent } = connect(
      (_m, _p, ctx) =>
        new Promise((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => {
            aborted = true;
            reject(cancelledError('Stopped.'));
          });
        }),
    );
    const controller = new AbortController();
    const call = client.call('long', {}, { signal: controller.signal });
    await tick();
    controller.abort();
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: 'JOB_CANCELLED', message: 'Stopped.' });
    expect(aborted).toBe(true);
    expect(sent.filter((m) => m.type === 'cancel')).toEqual([{ type: 'cancel', id: 1 }]);
  });

  it('does not send a call whose signal has already aborted', async () => {
    let called = false;
    const { client, sent } = connect(() => (called = true));
    const controller = new AbortController();
    controller.abort();
    await expect(client.call('x', {}, { signal: controller.signal })).rejects.toMatchObject({ code: 'JOB_CANCELLED' });
    await tick();
    expect(called).toBe(false);
    expect(sent).toEqual([]);
  });

  it('fails every pending call when the port closes, with the error the client shapes from the reason', async () => {
    const { client, close } = connect(() => new Promise(() => undefined), {
      closedError: (call, reason) =>
        new StudioError(call.cancelled ? 'JOB_CANCELLED' : 'WORKER_CRASHED', `stopped (${(reason as { signal: string }).signal}) during ${call.label}`),
    });
    const a = client.call('a', {}, { label: 'the benchmark of m.onnx' });
    const controller = new AbortController();
    const b = client.call('b', {}, { signal: controller.signal });
    await tick();
    controller.abort();
    close({ signal: 'SIGKILL' });
    await expect(a).rejects.toMatchObject({ code: 'WORKER_CRASHED', message: 'stopped (SIGKILL) during the benchmark of m.onnx' });
    await expect(b).rejects.toMatchObject({ code: 'JOB_CANCELLED' });
    expect(client.isClosed).toBe(true);
    await expect(client.call('c', {})).rejects.toMatchObject({ code: 'WORKER_CRASHED', message: 'stopped (SIGKILL) during c' });
  });

  it('defaults to WORKER_CRASHED when the port closes and no shape is given', async () => {
    const { client, close } = connect(() => new Promise(() => undefined));
    const call = client.call('m', {});
    close(1006);
    await expect(call).rejects.toMatchObject({ code: 'WORKER_CRASHED' });
  });

  it('aborts the running handlers when the port closes', async () => {
    let signal: AbortSignal | undefined;
    const { client, close } = connect((_m, _p, ctx) => {
      signal = ctx.signal;
      return new Promise(() => undefined);
    });
    void client.call('m', {}).catch(() => undefined);
    await tick();
    close('gone');
    expect(signal?.aborted).toBe(true);
  });

  it('carries one-way events both ways, by topic', async () => {
    const { client, server } = connect(() => undefined);
    const toClient: unknown[] = [];
    const toServer: unknown[] = [];
    const off = client.onEvent('job', (d) => toClient.push(d));
    client.onEvent('other', () => toClient.push('wrong'));
    server.onEvent('chunk', (d) => toServer.push(d));
    server.notify('job', { n: 1 });
    client.notify('chunk', [1, 2]);
    await tick();
    off();
    server.notify('job', { n: 2 });
    await tick();
    expect(toClient).toEqual([{ n: 1 }]);
    expect(toServer).toEqual([[1, 2]]);
  });

  it('answers a malformed message with INVALID_REQUEST and ignores stray results', async () => {
    const pair = portPair();
    new RpcServer(pair.b, () => 'never');
    const replies: unknown[] = [];
    pair.a.onMessage((m) => replies.push(m));
    pair.a.send({ id: 7, method: 'x', request: {} } as never);
    pair.a.send(undefined as never);
    await tick();
    expect(replies).toEqual([
      { type: 'result', id: 7, ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringContaining('Malformed RPC message') } },
      { type: 'result', id: null, ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringContaining('Malformed RPC message') } },
    ]);
    const other = portPair();
    const client = new RpcClient(other.a);
    const call = client.call('m', {});
    other.b.send({ type: 'result', id: 99, ok: true, value: 'stray' });
    other.b.send({ type: 'progress', id: 99, fraction: 1, stage: 'stray' });
    other.b.send({ type: 'result', id: 1, ok: true, value: 'mine' });
    expect(await call).toBe('mine');
  });
});

describe('JSON codec', () => {
  it('splices JSON text into a result without decoding it, and round-trips other messages', () => {
    const text = encodeJson({ type: 'result', id: 3, ok: true, value: new JsonText('{"a":[1,2]}') });
    expect(JSON.parse(text)).toEqual({ type: 'result', id: 3, ok: true, value: { a: [1, 2] } });
    expect(JSON.parse(encodeJson({ type: 'result', id: 4, ok: true, value: new JsonText(undefined) }))).toEqual({ type: 'result', id: 4, ok: true });
    const call = { type: 'call' as const, id: 1, method: 'm', params: { x: 'y' } };
    expect(decodeJson(encodeJson(call))).toEqual(call);
    expect(decodeJson('{not json')).toBeUndefined();
  });
});
