/** Talks to the layout worker: loads a graph in chunks, asks for layouts, reports progress, cancels by restarting it. */
import type { GraphChunkDto, GraphHeaderDto } from '../../../shared/graph/graph-dto';
import type { FromWorker, LaidOutGraph, LayoutRequestOptions, ToWorker } from './layout-protocol';

interface Pending {
  resolve: (g: LaidOutGraph) => void;
  reject: (e: Error) => void;
  onProgress?: (fraction: number, stage: string) => void;
}

/** Raised when a layout was cancelled. */
export class LayoutCancelled extends Error {
  constructor() {
    super('Layout cancelled.');
    this.name = 'LayoutCancelled';
  }
}

/** One worker per view (the diff view has two). */
export class LayoutClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** what was sent, so a restarted worker can be refilled */
  private loaded: { key: string; header: GraphHeaderDto; chunks: GraphChunkDto[] } | null = null;

  /** the key of the graph loaded into the worker */
  get key(): string | null {
    return this.loaded?.key ?? null;
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (ev: MessageEvent<FromWorker>) => {
      const msg = ev.data;
      const p = this.pending.get(msg.requestId);
      if (!p) return;
      if (msg.type === 'progress') p.onProgress?.(msg.fraction, msg.stage);
      else {
        this.pending.delete(msg.requestId);
        if (msg.type === 'result') p.resolve(msg.graph);
        else p.reject(new Error(msg.message));
      }
    };
    w.onerror = (ev) => {
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.reject(new Error(`The layout worker failed: ${ev.message || 'unknown error'}`));
      }
    };
    this.worker = w;
    if (this.loaded) {
      this.send({ type: 'header', key: this.loaded.key, header: this.loaded.header });
      for (const chunk of this.loaded.chunks) this.send({ type: 'chunk', key: this.loaded.key, chunk });
    }
    return w;
  }

  private send(msg: ToWorker): void {
    this.ensure().postMessage(msg);
  }

  /** Starts the worker ahead of need (its script loads while the graph is fetched). */
  warm(): void {
    this.ensure();
  }

  /** Starts a new graph in the worker. */
  begin(key: string, header: GraphHeaderDto): void {
    this.loaded = { key, header, chunks: [] };
    this.send({ type: 'header', key, header });
  }

  /** Adds one chunk of nodes and tensors. */
  addChunk(key: string, chunk: GraphChunkDto): void {
    if (this.loaded?.key !== key) return;
    this.loaded.chunks.push(chunk);
    this.send({ type: 'chunk', key, chunk });
  }

  /** @returns the laid-out view of the loaded graph. */
  layout(key: string, options: LayoutRequestOptions, onProgress?: Pending['onProgress']): Promise<LaidOutGraph> {
    const requestId = this.nextId++;
    return new Promise<LaidOutGraph>((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject, onProgress });
      this.send({ type: 'layout', key, requestId, options });
    });
  }

  /** Stops any running layout (the worker is restarted on the next request, refilled with the graph). */
  cancel(): void {
    this.worker?.terminate();
    this.worker = null;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new LayoutCancelled());
    }
  }

  /** Ends the worker for good. */
  dispose(): void {
    this.cancel();
    this.loaded = null;
  }
}
