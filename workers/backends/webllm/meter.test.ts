import { describe, expect, it } from 'vitest';
import { watchCacheDownloads } from './meter';

/** The parts of the Cache API the meter touches; add() as browsers do it, without a meter. */
class FakeCache {
  stored = new Map<string, Response>();
  async put(request: Request, response: Response): Promise<void> {
    this.stored.set(request.url, new Response(await response.arrayBuffer(), { status: response.status, headers: response.headers }));
  }
  async add(_info: RequestInfo | URL): Promise<void> {
    throw new Error('the unmetered add');
  }
}

function scope(body: (url: string) => Response) {
  const s = { Cache: FakeCache as unknown as { prototype: Cache }, fetch: async (r: RequestInfo | URL) => body(new Request(r).url) };
  return s;
}

describe('watchCacheDownloads', () => {
  it('counts the bytes of every Cache.add() as they stream, stores the whole body, and restores add()', async () => {
    const chunks = [new Uint8Array(1000), new Uint8Array(24), new Uint8Array(3000)];
    const s = scope(
      () =>
        new Response(new ReadableStream({ start: (c) => (chunks.forEach((x) => c.enqueue(x)), c.close()) }), {
          headers: { 'content-encoding': 'gzip', 'content-length': '12' },
        }),
    );
    const seen: number[] = [];
    const stop = watchCacheDownloads((n) => seen.push(n), s);
    const cache = new FakeCache();
    await cache.add('https://example.test/params_shard_0.bin');
    expect(seen).toEqual([1000, 24, 3000]);
    const kept = cache.stored.get('https://example.test/params_shard_0.bin');
    expect((await kept?.arrayBuffer())?.byteLength).toBe(4024);
    expect(kept?.headers.get('content-encoding')).toBeNull();
    stop();
    await expect(cache.add('https://example.test/x')).rejects.toThrow('the unmetered add');
  });

  it('refuses a response that is not ok, as Cache.add does, and stores nothing', async () => {
    const s = scope(() => new Response('gone', { status: 404, statusText: 'Not Found' }));
    const stop = watchCacheDownloads(() => {}, s);
    const cache = new FakeCache();
    await expect(cache.add('https://example.test/missing')).rejects.toThrow(/answered 404/);
    expect(cache.stored.size).toBe(0);
    stop();
  });
});
