// GGUF files kept in this browser: the origin-private file system (OPFS), folder "gguf/". Models
// downloaded from the list land here, and so does a file picked from disk when the person asks to
// keep it (it is copied, never uploaded). Once a file is here the app runs offline. A download is
// written to "<id>.part" and becomes "<id>.gguf" (kept) only once llama.cpp has loaded it
// (loader.ts), so a cancelled, short or broken download never looks like a model.

export interface DownloadProgress {
  loaded: number; // bytes
  total: number; // bytes (0 when the host does not say)
  bytesPerSecond: number; // over the last few seconds
}

export class StorageError extends Error {
  constructor(
    readonly code: 'Unavailable' | 'Http' | 'Network' | 'AbortError' | 'Quota',
    message: string,
  ) {
    super(message);
    this.name = code === 'AbortError' ? 'AbortError' : 'StorageError';
  }
}

const FOLDER = 'gguf';
const ext = '.gguf';

async function folder(): Promise<FileSystemDirectoryHandle> {
  const storage = globalThis.navigator?.storage;
  if (!storage?.getDirectory) throw new StorageError('Unavailable', "This browser has no origin-private file system, so models cannot be kept; pick the file from disk each time.");
  return (await storage.getDirectory()).getDirectoryHandle(FOLDER, { create: true });
}

/** Files kept, by id (file name without ".gguf"), with their sizes in bytes. */
export async function keptModels(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const dir = await folder();
  for await (const [name, handle] of dir as unknown as AsyncIterable<[string, FileSystemHandle]>) {
    if (handle.kind === 'file' && name.endsWith(ext)) out[name.slice(0, -ext.length)] = (await (handle as FileSystemFileHandle).getFile()).size;
  }
  return out;
}

/** The kept file of a model, or null. The File reads from disk; nothing is loaded into memory. */
export async function keptModel(id: string): Promise<File | null> {
  try {
    return await (await (await folder()).getFileHandle(id + ext)).getFile();
  } catch {
    return null;
  }
}

export async function removeModel(id: string): Promise<void> {
  const dir = await folder();
  for (const name of [id + ext, id + '.part', id + choiceExt]) await dir.removeEntry(name).catch(() => undefined);
}

const choiceExt = '.engine.json';

/** A small JSON kept beside a model's file (the engine calibrate.ts chose for it), or null. */
export async function keptJson(id: string): Promise<unknown> {
  try {
    return JSON.parse(await (await (await (await folder()).getFileHandle(id + choiceExt)).getFile()).text());
  } catch {
    return null;
  }
}

export async function keepJson(id: string, value: unknown): Promise<void> {
  const out = await (await (await folder()).getFileHandle(id + choiceExt, { create: true })).createWritable();
  await out.write(JSON.stringify(value));
  await out.close();
}

/** Writes a stream to "<id>.part"; the File it became. */
async function writePart(id: string, body: ReadableStream<Uint8Array<ArrayBuffer>>, onChunk: (bytes: number) => void, signal?: AbortSignal): Promise<File> {
  const dir = await folder();
  const part = await dir.getFileHandle(id + '.part', { create: true });
  const out = await part.createWritable();
  const reader = body.getReader();
  try {
    for (;;) {
      if (signal?.aborted) throw new StorageError('AbortError', 'The download was cancelled.');
      const { done, value } = await reader.read();
      if (done) break;
      await out.write(value);
      onChunk(value.byteLength);
    }
    await out.close();
  } catch (e) {
    await reader.cancel().catch(() => undefined);
    await out.abort().catch(() => undefined);
    await dir.removeEntry(id + '.part').catch(() => undefined);
    if (e instanceof DOMException && e.name === 'QuotaExceededError')
      throw new StorageError('Quota', 'The browser has no room left for this model. Delete kept models, or free disk space, and retry.');
    throw e;
  }
  return part.getFile();
}

/** "<id>.part" becomes "<id>.gguf": the model is kept. */
export async function keepPart(id: string): Promise<void> {
  const dir = await folder();
  const part = await dir.getFileHandle(id + '.part');
  await dir.removeEntry(id + ext).catch(() => undefined);
  const move: unknown = Reflect.get(part, 'move');
  if (typeof move !== 'function') throw new StorageError('Unavailable', 'This browser cannot rename files in its private file system.');
  await (move as (name: string) => Promise<void>).call(part, id + ext);
}

/** Copies a file picked from disk into storage, so it loads after a reload without picking it again. */
export async function keepFile(id: string, file: Blob): Promise<void> {
  await writePart(id, file.stream(), () => undefined);
  await keepPart(id);
}

/** Speed over the last few seconds of a download. */
export class Speedometer {
  private samples: { t: number; bytes: number }[] = [];
  constructor(private readonly windowMs = 3000) {}
  add(t: number, total: number): number {
    this.samples.push({ t, bytes: total });
    while (this.samples.length > 2 && t - this.samples[0].t > this.windowMs) this.samples.shift();
    const first = this.samples[0];
    const dt = (t - first.t) / 1000;
    return dt > 0 ? (total - first.bytes) / dt : 0;
  }
}

/** Downloads a model file into "<id>.part", reporting bytes and speed; ends with a clear error when
 *  the host fails or sends fewer bytes than it announced. keepPart() keeps it once it loads. */
export async function downloadModel(
  id: string,
  url: string,
  onProgress: (p: DownloadProgress) => void,
  signal?: AbortSignal,
  now = () => performance.now(),
  stallMs = 90_000, // no byte for this long ends the download with an error
): Promise<File> {
  const host = new URL(url).host;
  const own = new AbortController(); // the caller's cancel, or the stall watchdog
  const stalled = () =>
    new StorageError('Network', `The download from ${host} stalled: nothing arrived for ${Math.round(stallMs / 1000)} s. Check the connection and press Retry.`);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const watch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => own.abort(stalled()), stallMs);
  };
  const onAbort = () => own.abort(new StorageError('AbortError', 'The download was cancelled.'));
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();
  watch();
  try {
    return await fetchInto(id, url, host, onProgress, own.signal, now, watch);
  } catch (e) {
    throw own.signal.aborted && own.signal.reason instanceof StorageError ? own.signal.reason : e;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

async function fetchInto(
  id: string,
  url: string,
  host: string,
  onProgress: (p: DownloadProgress) => void,
  signal: AbortSignal,
  now: () => number,
  alive: () => void,
): Promise<File> {
  let res: Response;
  try {
    res = await fetch(url, { signal });
  } catch (e) {
    if (signal.aborted) throw new StorageError('AbortError', 'The download was cancelled.');
    throw new StorageError('Network', `Could not reach ${host} (${e instanceof Error ? e.message : String(e)}). Check the connection and press Retry.`);
  }
  if (!res.ok || !res.body) throw new StorageError('Http', `${host} answered ${res.status} ${res.statusText} for ${url}. The file may have moved; pick a file from disk instead.`);
  const total = Number(res.headers.get('content-length') ?? 0);
  const speed = new Speedometer();
  let loaded = 0;
  onProgress({ loaded, total, bytesPerSecond: 0 });
  try {
    const file = await writePart(
      id,
      res.body,
      (n) => {
        alive();
        loaded += n;
        onProgress({ loaded, total, bytesPerSecond: speed.add(now(), loaded) });
      },
      signal,
    );
    if (total > 0 && file.size < total) {
      await removeModel(id);
      throw new StorageError('Http', `${host} sent ${file.size.toLocaleString('en-US')} of the ${total.toLocaleString('en-US')} bytes it announced for ${url}, so the file is incomplete; nothing was kept. Press Retry to download it again.`);
    }
    return file;
  } catch (e) {
    if (signal.aborted) throw new StorageError('AbortError', 'The download was cancelled.');
    if (e instanceof StorageError) throw e;
    throw new StorageError('Network', `The download from ${host} broke off after ${Math.round(loaded / 1e6)} MB (${e instanceof Error ? e.message : String(e)}). Press Retry.`);
  }
}
