/** Reads what was dropped on a file field: plain files, or a folder walked whole with each file's relative path. */

/** Files dropped, with each file's path relative to the dropped folder when a folder was dropped. */
export interface DroppedFiles {
  files: File[];
  relativePaths: string[];
  /** a folder was dropped */
  folder: boolean;
}

/** the most files one dropped folder may hold (a validation set of ImageNet size is 50 000) */
const MAX_FILES = 100_000;

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walk(entry: FileSystemEntry, prefix: string, out: DroppedFiles): Promise<void> {
  if (out.files.length >= MAX_FILES) return;
  if (entry.isFile) {
    out.files.push(await fileOf(entry as FileSystemFileEntry));
    out.relativePaths.push(`${prefix}${entry.name}`);
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries answers in batches until it answers an empty one
  for (;;) {
    const batch = await readEntries(reader);
    if (batch.length === 0) break;
    for (const child of batch) await walk(child, `${prefix}${entry.name}/`, out);
  }
}

/** @returns the dropped files; a dropped folder's files in order, with their relative paths. */
export async function droppedFiles(data: DataTransfer): Promise<DroppedFiles> {
  const entries = [...data.items].map((i) => (i.kind === 'file' ? i.webkitGetAsEntry?.() : null)).filter((e): e is FileSystemEntry => Boolean(e));
  const dir = entries.find((e) => e.isDirectory);
  if (dir && entries.length === 1) {
    const out: DroppedFiles = { files: [], relativePaths: [], folder: true };
    await walk(dir, '', out);
    return out;
  }
  const files = [...data.files];
  return { files, relativePaths: files.map((f) => f.name), folder: false };
}
