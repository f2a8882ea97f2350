/** The upload client over a fake XMLHttpRequest: progress, folder roots and relative paths, parallelism, cancel, errors. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StudioError } from '../../shared/api/errors';
import { cancelUpload, onUploads, upload, uploadedName, type UploadProgress } from './upload-client';

interface Sent {
  url: string;
  xhr: FakeXhr;
}
const sent: Sent[] = [];
let inFlight = 0;
let maxInFlight = 0;
/** what the fake server answers; `hold` keeps requests open until released */
let answer: (url: string) => { status: number; body: unknown } = () => ({ status: 200, body: {} });
let hold = false;
const held: Array<() => void> = [];

class FakeXhr {
  url = '';
  status = 0;
  responseText = '';
  responseType = '';
  upload: { onprogress: ((e: { loaded: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  private done = false;
  open(_method: string, url: string) {
    this.url = url;
  }
  send(body: { size: number }) {
    sent.push({ url: this.url, xhr: this });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const finish = () => {
      if (this.done) return;
      this.done = true;
      inFlight--;
      this.upload.onprogress?.({ loaded: Math.floor(body.size / 2) });
      this.upload.onprogress?.({ loaded: body.size });
      const a = answer(this.url);
      this.status = a.status;
      this.responseText = JSON.stringify(a.body);
      this.onload?.();
    };
    if (hold) held.push(finish);
    else setTimeout(finish, 1);
  }
  abort() {
    if (this.done) return;
    this.done = true;
    inFlight--;
    this.onabort?.();
  }
}

const store = new Map<string, string>();
const g = globalThis as Record<string, unknown>;
beforeEach(() => {
  sent.length = 0;
  inFlight = 0;
  maxInFlight = 0;
  hold = false;
  held.length = 0;
  g.XMLHttpRequest = FakeXhr;
  g.sessionStorage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => store.set(k, v) };
  answer = (url) => {
    const q = new URL(url, 'http://x').searchParams;
    const group = q.get('group');
    const rel = q.get('rel') ?? q.get('name');
    return { status: 200, body: { path: `/up/${group}/${rel}`, group, folder: `/up/${group}` } };
  };
});
afterEach(() => {
  delete g.XMLHttpRequest;
});

function file(name: string, size: number, rel?: string): File {
  return { name, size, webkitRelativePath: rel ?? '' } as unknown as File;
}

describe('upload', () => {
  it('uploads a model and its data file into one group, reports rising progress, and remembers the original name', async () => {
    const seen: UploadProgress[] = [];
    const result = await upload([file('resnet18.onnx', 1000), file('resnet18.onnx.data', 3000)], { onProgress: (p) => seen.push(p) });
    expect(result.paths).toHaveLength(2);
    expect(new Set(result.paths.map((p) => p.split('/')[2])).size).toBe(1);
    expect(result.paths[0]).toMatch(/\/resnet18\.onnx$/);
    const fractions = seen.map((p) => p.loadedBytes / p.totalBytes);
    expect(fractions[0]).toBe(0);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(uploadedName(result.paths[0])).toBe('resnet18.onnx');
  });

  it('keeps a folder’s relative paths and answers its top folder as the root', async () => {
    const files = [file('1.png', 10, 'val/cat/1.png'), file('2.png', 10, 'val/dog/2.png')];
    const result = await upload(files, { folder: true });
    expect(sent.map((s) => new URL(s.url, 'http://x').searchParams.get('rel')).sort()).toEqual(['val/cat/1.png', 'val/dog/2.png']);
    expect(result.root).toMatch(/^\/up\/[0-9a-f-]+\/val$/);
    expect(uploadedName(result.root)).toBe('val (2 files)');
  });

  it('sends at most four files at a time', async () => {
    const files = Array.from({ length: 12 }, (_, i) => file(`${i}.png`, 5, `set/${i}.png`));
    await upload(files, { folder: true });
    expect(sent).toHaveLength(12);
    expect(maxInFlight).toBeLessThanOrEqual(4);
  });

  it('cancels every request of an upload and answers JOB_CANCELLED; the upload leaves the list', async () => {
    hold = true;
    let lists: UploadProgress[][] = [];
    const off = onUploads((l) => lists.push(l));
    const files = Array.from({ length: 6 }, (_, i) => file(`${i}.npy`, 100, `d/${i}.npy`));
    const running = upload(files, { folder: true });
    await new Promise((r) => setTimeout(r, 5));
    const id = lists.at(-1)?.[0]?.id as string;
    expect(id).toBeTruthy();
    lists = [];
    cancelUpload(id);
    await expect(running).rejects.toMatchObject({ code: 'JOB_CANCELLED' });
    expect(sent.length).toBeLessThanOrEqual(4);
    expect(lists.at(-1)).toEqual([]);
    off();
  });

  it('turns the server’s error into a StudioError with its code and message', async () => {
    answer = () => ({ status: 413, body: { error: { code: 'MODEL_TOO_LARGE', message: 'The file is larger than the 8 GiB upload limit.' } } });
    const err = await upload([file('huge.onnx', 10)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudioError);
    expect(err).toMatchObject({ code: 'MODEL_TOO_LARGE', message: 'The file is larger than the 8 GiB upload limit.' });
  });
});
