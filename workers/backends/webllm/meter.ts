// Real download progress for web-llm. web-llm 0.2.86 reports nothing while it fetches a model's
// config, wasm and tokenizer, and then one report per finished weight shard (four download at
// a time), so ~128 MB can arrive between two reports. Every file it downloads goes through
// Cache.add() (ArtifactCache.addToCache), whose fetch runs inside the browser where no script
// sees the bytes. While someone watches, Cache.prototype.add is replaced by what the standard
// says it does, fetch then put, with the body counted as it streams into the cache.

type Scope = { Cache?: { prototype: Cache }; fetch: typeof fetch };

const watchers = new Set<(bytes: number) => void>();
let restore: (() => void) | null = null;

/** Calls `onBytes` with each chunk's size as web-llm's downloads arrive; returns the stop function. */
export function watchCacheDownloads(onBytes: (bytes: number) => void, scope: Scope = globalThis): () => void {
  const proto = scope.Cache?.prototype;
  if (!proto) return () => undefined; // no Cache API here (Node): nothing of web-llm's to watch
  watchers.add(onBytes);
  if (!restore) {
    const original = proto.add;
    proto.add = async function add(this: Cache, info: RequestInfo | URL): Promise<void> {
      const request = new Request(info);
      const response = await scope.fetch(request); // the request carries web-llm's abort signal
      if (!response.ok) throw new TypeError(`Cache.add: ${request.url} answered ${response.status} ${response.statusText}`);
      await this.put(request, counted(response));
    };
    restore = () => {
      proto.add = original;
      restore = null;
    };
  }
  return () => {
    watchers.delete(onBytes);
    if (watchers.size === 0) restore?.();
  };
}

function counted(response: Response): Response {
  if (!response.body) return response;
  const count = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, out) {
      for (const w of watchers) w(chunk.byteLength);
      out.enqueue(chunk);
    },
  });
  // The body is already decoded: its stored copy must not claim an encoding or the encoded length.
  const headers = new Headers(response.headers);
  headers.delete('content-encoding');
  headers.delete('content-length');
  return new Response(response.body.pipeThrough(count), { status: response.status, statusText: response.statusText, headers });
}
