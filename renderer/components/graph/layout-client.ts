/** Talks to the layout worker: loads a graph in chunks, asks for layouts, reports progress, cancels by restarting it. */
import type { GraphChunkDto, GraphHeaderDto } from '../../../shared/graph/graph-dto';
import type { Port } from '../../../shared/rpc/messages';
import { RpcClient } from '../../../shared/rpc/rpc-client';
import { LAYOUT, type ChunkEvent, type HeaderEvent, type LaidOutGraph, type LayoutCall, type LayoutRequestOptions } from './layout-protocol';

/** Raised when a layout was cancelled. */
export class LayoutCancelled extends Error {
  constructor() {
    super('Layout cancelled.');
    this.name = 'LayoutCancelled';
  }
}

/** Why the client closed a worker's channel itself. */
const CANCELLED = Symbol('cancelled');

/** One running worker and the RPC client over it. */
interface Running {
  worker: Worker;
  rpc: RpcClient;
}

/** One worker per view (the diff view has two). */
export class LayoutClient {
  private running: Running | null = null;
  /** what was sent, so a restarted worker can be refilled */
  private loaded: { key: string; header: GraphHeaderDto; chunks: GraphChunkDto[] } | null = null;

  /** the key of the graph loaded into the worker */
  get key(): string | null {
    return this.loaded?.key ?? null;
  }

  private ensure(): RpcClient {
    if (this.running) return this.running.rpc;
    const worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
    const port: Port = {
      send: (message) => worker.postMessage(message),
      onMessage: (listener) => (worker.onmessage = (ev: MessageEvent) => listener(ev.data)),
      onClose: () => undefined,
    };
    const rpc = new RpcClient(port, {
      closedError: (_call, reason) => (reason === CANCELLED ? new LayoutCancelled() : new Error(`The layout worker failed: ${String(reason)}`)),
      replyError: (_call, error) => new Error(error.message),
    });
    const running: Running = { worker, rpc };
    // a failed worker fails its layouts; the next request starts another, refilled with the graph
    worker.onerror = (ev) => this.stop(running, ev.message || 'unknown error');
    this.running = running;
    if (this.loaded) {
      const { key, header, chunks } = this.loaded;
      rpc.notify(LAYOUT.header, { key, header } satisfies HeaderEvent);
      for (const chunk of chunks) rpc.notify(LAYOUT.chunk, { key, chunk } satisfies ChunkEvent);
    }
    return rpc;
  }

  private stop(running: Running, reason: unknown): void {
    running.worker.terminate();
    if (this.running === running) this.running = null;
    running.rpc.close(reason);
  }

  /** Starts the worker ahead of need (its script loads while the graph is fetched). */
  warm(): void {
    this.ensure();
  }

  /** Starts a new graph in the worker. */
  begin(key: string, header: GraphHeaderDto): void {
    this.loaded = { key, header, chunks: [] };
    this.load(LAYOUT.header, { key, header } satisfies HeaderEvent);
  }

  /** Adds one chunk of nodes and tensors. */
  addChunk(key: string, chunk: GraphChunkDto): void {
    if (this.loaded?.key !== key) return;
    this.loaded.chunks.push(chunk);
    this.load(LAYOUT.chunk, { key, chunk } satisfies ChunkEvent);
  }

  /** Sends what was just added to `loaded`; a worker started now gets it with the refill instead. */
  private load(topic: string, data: HeaderEvent | ChunkEvent): void {
    if (this.running) this.running.rpc.notify(topic, data);
    else this.ensure();
  }

  /** @returns the laid-out view of the loaded graph. */
  layout(key: string, options: LayoutRequestOptions, onProgress?: (fraction: number, stage: string) => void): Promise<LaidOutGraph> {
    return this.ensure().call<LaidOutGraph>(LAYOUT.layout, { key, options } satisfies LayoutCall, { onProgress });
  }

  /** Stops any running layout (the worker is restarted on the next request, refilled with the graph). */
  cancel(): void {
    if (this.running) this.stop(this.running, CANCELLED);
  }

  /** Ends the worker for good. */
  dispose(): void {
    this.cancel();
    this.loaded = null;
  }
}
