/**
 * Uploads in browser mode: files and whole folders go to the `serve` host's upload folder over XHR (for its upload
 * progress), several at a time, each cancellable; every upload in flight is listed for the UI's progress bars.
 */
import { isErrorDto, StudioError } from '../../shared/api/errors';

/** An upload in flight, as progress bars show it. */
export interface UploadProgress {
  id: string;
  /** what is uploaded: a file's name, or a folder's name and its file count */
  label: string;
  loadedBytes: number;
  totalBytes: number;
  fileCount: number;
  doneFiles: number;
  /** shown by the field that started it (the app's global upload list leaves it out) */
  inline: boolean;
}

/** Where an upload landed on the server. */
export interface UploadResult {
  /** the server path of each file, in the order given */
  paths: string[];
  /** for a folder: the server path of its top folder (the dataset's root); else the folder holding the files */
  root: string;
}

export interface UploadOptions {
  /** keep each file's `webkitRelativePath` (a folder chosen or dropped whole) */
  folder?: boolean;
  /** the relative path of each file in its folder (a folder dropped whole: its files carry no `webkitRelativePath`) */
  relativePaths?: string[];
  /** a label for progress bars (default: the file's or folder's name) */
  label?: string;
  /** the caller shows the progress itself */
  inline?: boolean;
  /** called as bytes go out */
  onProgress?: (p: UploadProgress) => void;
  signal?: AbortSignal;
}

const PARALLEL = 4;
const active = new Map<string, { progress: UploadProgress; abort: () => void }>();
const listeners = new Set<(uploads: UploadProgress[]) => void>();
const NAMES_KEY = 'ds-uploaded-names';

function emit(): void {
  const list = [...active.values()].map((a) => ({ ...a.progress }));
  for (const l of listeners) l(list);
}

/** Subscribes to the uploads in flight. @returns the function that unsubscribes */
export function onUploads(listener: (uploads: UploadProgress[]) => void): () => void {
  listeners.add(listener);
  listener([...active.values()].map((a) => ({ ...a.progress })));
  return () => listeners.delete(listener);
}

/** Cancels an upload in flight (its partial files are removed by the server). */
export function cancelUpload(id: string): void {
  active.get(id)?.abort();
}

/** @returns the relative path a file keeps in a folder upload (its name when it has none). */
function relativePath(file: File): string {
  return (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name;
}

/** Sends one file; resolves with its server path and group folder. */
function sendFile(file: File, query: string, onBytes: (loaded: number) => void, register: (abort: () => void) => void): Promise<{ path: string; folder: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/upload?${query}`);
    xhr.responseType = 'text';
    xhr.upload.onprogress = (e) => onBytes(e.loaded);
    xhr.onload = () => {
      let body: { path?: string; folder?: string; error?: unknown } = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        // a proxy's or the server's plain-text answer
      }
      if (xhr.status === 200 && body.path && body.folder) {
        onBytes(file.size);
        resolve({ path: body.path, folder: body.folder });
      } else {
        reject(isErrorDto(body.error) ? new StudioError(body.error.code, body.error.message) : new StudioError('FILE_UNREADABLE', `The upload of ${file.name} failed (HTTP ${xhr.status}).`));
      }
    };
    xhr.onerror = () => reject(new StudioError('FILE_UNREADABLE', `The upload of ${file.name} failed: is \`deploy-studio serve\` still running?`));
    xhr.onabort = () => reject(new StudioError('JOB_CANCELLED', `The upload of ${file.name} was cancelled.`));
    register(() => xhr.abort());
    xhr.send(file);
  });
}

/**
 * Uploads files into one server folder (a model and its external data; the files of a folder, keeping their paths).
 * @returns where they landed
 * @throws StudioError `JOB_CANCELLED` when cancelled, or the server's error (size limit, disk)
 */
export async function upload(files: File[], options: UploadOptions = {}): Promise<UploadResult> {
  if (files.length === 0) throw new StudioError('INVALID_REQUEST', 'Nothing to upload: choose a file or a folder.');
  const group = crypto.randomUUID();
  const id = group;
  const rel = (i: number) => options.relativePaths?.[i] ?? relativePath(files[i]);
  const top = options.folder ? rel(0).split('/')[0] : '';
  const totalBytes = files.reduce((n, f) => n + f.size, 0);
  const progress: UploadProgress = {
    id,
    label: options.label ?? (options.folder ? `${top} (${files.length} files)` : files.length > 1 ? `${files[0].name} and ${files.length - 1} more` : files[0].name),
    loadedBytes: 0,
    totalBytes,
    fileCount: files.length,
    doneFiles: 0,
    inline: options.inline === true,
  };
  const aborts = new Set<() => void>();
  let cancelled = false;
  const abortAll = () => {
    cancelled = true;
    for (const a of aborts) a();
  };
  options.signal?.addEventListener('abort', abortAll);
  active.set(id, { progress, abort: abortAll });
  options.onProgress?.({ ...progress });
  emit();
  const loaded = new Array<number>(files.length).fill(0);
  const paths = new Array<string>(files.length);
  let folder = '';
  let next = 0;
  let lastEmit = 0;
  const worker = async () => {
    while (next < files.length && !cancelled) {
      const i = next++;
      const file = files[i];
      const query = `group=${group}&${options.folder ? `rel=${encodeURIComponent(rel(i))}` : `name=${encodeURIComponent(file.name)}`}`;
      let abort: (() => void) | undefined;
      const sent = await sendFile(
        file,
        query,
        (n) => {
          loaded[i] = n;
          progress.loadedBytes = loaded.reduce((a, b) => a + b, 0);
          const now = performance.now();
          if (now - lastEmit > 80) {
            lastEmit = now;
            options.onProgress?.({ ...progress });
            emit();
          }
        },
        (a) => {
          abort = a;
          aborts.add(a);
        },
      ).finally(() => abort && aborts.delete(abort));
      paths[i] = sent.path;
      folder = sent.folder;
      progress.doneFiles++;
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(PARALLEL, files.length) }, worker));
    if (cancelled) throw new StudioError('JOB_CANCELLED', 'The upload was cancelled.');
  } catch (err) {
    abortAll();
    throw err;
  } finally {
    active.delete(id);
    options.signal?.removeEventListener('abort', abortAll);
    emit();
  }
  progress.loadedBytes = totalBytes;
  options.onProgress?.({ ...progress });
  const root = options.folder && top ? `${folder}/${top}` : folder;
  if (options.folder) rememberName(root, progress.label);
  else for (const [i, p] of paths.entries()) rememberName(p, files[i].name);
  return { paths, root };
}

/** Notes the name a file had on the user's computer (the server stores a cleaned copy under a random folder). */
function rememberName(serverPath: string, name: string): void {
  try {
    const names = JSON.parse(sessionStorage.getItem(NAMES_KEY) ?? '{}') as Record<string, string>;
    names[serverPath] = name;
    sessionStorage.setItem(NAMES_KEY, JSON.stringify(names));
  } catch {
    // storage full or disabled: the header falls back to the stored copy's name
  }
}

/** @returns the name an uploaded file had on the user's computer, or null for a file that was not uploaded here. */
export function uploadedName(serverPath: string): string | null {
  try {
    const names = JSON.parse(sessionStorage.getItem(NAMES_KEY) ?? '{}') as Record<string, string>;
    return Object.hasOwn(names, serverPath) ? names[serverPath] : null;
  } catch {
    return null;
  }
}

let session: Promise<{ allowedFolders: string[]; maxUploadBytes: number }> | undefined;

/** @returns what the serve session allows: the folders granted with `--allow`, the upload limit. */
export function serveSession(): Promise<{ allowedFolders: string[]; maxUploadBytes: number }> {
  session ??= fetch('/api/session')
    .then((r) => (r.ok ? (r.json() as Promise<{ allowedFolders: string[]; maxUploadBytes: number }>) : { allowedFolders: [], maxUploadBytes: 0 }))
    .catch(() => ({ allowedFolders: [], maxUploadBytes: 0 }));
  return session;
}
