import { describe, expect, it } from 'vitest';
import { ModelState, overallFraction, type StorageLike } from './models.svelte';
import type { Client } from './client';
import type { ErrorInfo, EventMessage, ReplyMap, Request, RequestKind } from '../protocol';
import type { LoadProgress } from '../model/progress';

interface Deferred {
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

/** A worker stand-in whose loadModel replies wait until the test settles them. */
class LoadClient implements Client {
  sent: Request[] = [];
  loads: Deferred[] = [];
  restarts = 0;
  cachedIds = new Set<string>();
  deleteAlso: string[] = []; // files other models share, removed with the one deleted

  request<K extends RequestKind>(req: Extract<Request, { kind: K }>): Promise<ReplyMap[K]> {
    this.sent.push(req);
    return this.#answer(req) as Promise<ReplyMap[K]>;
  }

  #answer(req: Request): Promise<ReplyMap[RequestKind]> {
    switch (req.kind) {
      case 'loadModel':
        return new Promise((resolve, reject) => this.loads.push({ resolve: (v) => resolve(v as ReplyMap['loadModel']), reject }));
      case 'modelCache':
        return Promise.resolve({ cached: Object.fromEntries(req.modelIds.map((id) => [id, this.cachedIds.has(id)])) });
      case 'deleteModel':
        this.cachedIds.delete(req.modelId);
        for (const id of this.deleteAlso) this.cachedIds.delete(id);
        return Promise.resolve({ modelId: req.modelId });
      case 'cancelLoad':
        return Promise.resolve({ modelId: req.modelId });
      default:
        return Promise.reject(new Error(`unexpected ${req.kind}`));
    }
  }
  onEvent(_fn: (e: EventMessage) => void) {
    return () => {};
  }
  onCrash(_fn: (e: ErrorInfo) => void) {
    return () => {};
  }
  restart() {
    this.restarts++;
    for (const d of this.loads.splice(0)) d.reject({ name: 'AbortError', message: 'The run worker was restarted before it answered.' });
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0));

function progress(phase: LoadProgress['phase'], fraction: number): LoadProgress {
  return { phase, fraction, shard: 1, shards: 4, bytesDone: 10 * 2 ** 20, bytesTotal: 40 * 2 ** 20, bytesPerSecond: 2 ** 20, bytesReceived: 0, elapsedS: 3, text: '' };
}

function setup(opts: { storage?: StorageLike | null; grace?: number } = {}) {
  const client = new LoadClient();
  const models = new ModelState(client, { restartWorker: () => client.restart(), storage: opts.storage ?? null, cancelGraceMs: opts.grace ?? 20 });
  return { client, models };
}

const ID = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';

describe('ModelState loading', () => {
  it('loads a model, follows its progress, and asks the cache afterwards', async () => {
    const { client, models } = setup();
    client.cachedIds.add(ID);
    const done = models.loadModel(ID);
    expect(models.load.status).toBe('loading');
    models.onProgress(ID, progress('download', 0.5));
    const loading = models.load;
    expect(loading.status === 'loading' && loading.downloaded && loading.progress?.fraction).toBe(0.5);
    client.loads[0].resolve({ modelId: ID, contextWindow: 4096, warnings: ['split label'] });
    await done;
    expect(models.loadedId).toBe(ID);
    expect(models.load.status === 'loaded' && models.load.info.warnings).toEqual(['split label']);
    await tick();
    expect(models.cached[ID]).toBe(true);
  });

  it('keeps a failed load as an error to show beside the model, with the worker message', async () => {
    const { client, models } = setup();
    const done = models.loadModel(ID);
    client.loads[0].reject({ name: 'DownloadFailed', message: 'The model files could not be downloaded.' });
    await done;
    expect(models.load).toEqual({ status: 'failed', modelId: ID, error: { name: 'DownloadFailed', message: 'The model files could not be downloaded.' } });
    expect(models.loadedId).toBeNull();
  });

  it('a cancel the worker settles ends as cancelled, without a restart', async () => {
    const { client, models } = setup({ grace: 1000 });
    void models.loadModel(ID);
    const cancel = models.cancelLoad();
    expect(models.load.status === 'loading' && models.load.cancelling).toBe(true);
    client.loads[0].reject({ name: 'AbortError', message: 'Loading was cancelled.' });
    await cancel;
    expect(models.load).toEqual({ status: 'cancelled', modelId: ID });
    expect(client.restarts).toBe(0);
    expect(client.sent.map((r) => r.kind)).toContain('cancelLoad');
  });

  it('a cancel the worker does not settle restarts the worker after the grace period', async () => {
    const { client, models } = setup({ grace: 10 });
    void models.loadModel(ID);
    await models.cancelLoad();
    expect(client.restarts).toBe(1);
    expect(models.load).toEqual({ status: 'cancelled', modelId: ID });
  });

  it('a newer load wins over an older reply', async () => {
    const { client, models } = setup();
    void models.loadModel('a');
    const second = models.loadModel('b');
    client.loads[0].resolve({ modelId: 'a', contextWindow: 1, warnings: [] });
    client.loads[1].resolve({ modelId: 'b', contextWindow: 2, warnings: [] });
    await second;
    expect(models.loadedId).toBe('b');
  });

  it('a lost worker takes the loaded model with it and fails a load in flight', async () => {
    const { client, models } = setup();
    const done = models.loadModel(ID);
    client.loads[0].resolve({ modelId: ID, contextWindow: 4096, warnings: [] });
    await done;
    models.onWorkerLost(null);
    expect(models.load.status).toBe('idle');
    void models.loadModel(ID);
    models.onWorkerLost({ name: 'WorkerError', message: 'The run worker failed.' });
    expect(models.load).toEqual({ status: 'failed', modelId: ID, error: { name: 'WorkerError', message: 'The run worker failed.' } });
  });

  it('progress for a load it did not start is kept for the run screen', () => {
    const { models } = setup();
    models.onProgress(ID, progress('gpu', 0.2));
    expect(models.background?.modelId).toBe(ID);
    models.onProgress(ID, progress('done', 1));
    expect(models.background).toBeNull();
  });
});

describe('ModelState cache, storage, capability', () => {
  it('deletes a cached model and says so', async () => {
    const { client, models } = setup();
    client.cachedIds.add(ID);
    await models.refreshCache([ID, 'other']);
    expect(models.cached).toEqual({ [ID]: true, other: false });
    expect(await models.deleteModel(ID)).toBe(true);
    expect(models.cached[ID]).toBe(false);
  });

  it('after a delete asks again about every model, since variants share their files', async () => {
    const { client, models } = setup();
    const variant = `${ID}-1k`;
    client.cachedIds.add(ID).add(variant);
    await models.refreshCache([ID, variant]);
    client.deleteAlso = [variant]; // the worker removed the files both use
    expect(await models.deleteModel(ID)).toBe(true);
    expect(models.cached).toEqual({ [ID]: false, [variant]: false });
  });

  it('reads storage figures and asks for persistence', async () => {
    const storage: StorageLike = {
      estimate: () => Promise.resolve({ usage: 300 * 2 ** 20, quota: 10 * 2 ** 30 }),
      persist: () => Promise.resolve(true),
      persisted: () => Promise.resolve(false),
    };
    const { models } = setup({ storage });
    expect(models.storageSupported).toBe(true);
    await models.refreshStorage();
    expect(models.storage).toEqual({ usage: 300 * 2 ** 20, quota: 10 * 2 ** 30, persisted: false });
    await models.persist();
    expect(models.persistAnswer).toBe('granted');
  });

  it('without a storage API says persistence is unsupported', async () => {
    const { models } = setup();
    expect(models.storageSupported).toBe(false);
    await models.persist();
    expect(models.persistAnswer).toBe('unsupported');
  });

  it('checks the GPU once, and without WebGPU says how to fix it', async () => {
    const { models } = setup();
    const nav = { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36' };
    const first = models.check(nav);
    expect(models.check(nav)).toBe(first);
    const cap = await first;
    expect(cap.verdict).toBe('unavailable');
    expect(models.capability?.fix.join(' ')).toMatch(/flag/);
  });
});

describe('overallFraction', () => {
  it('runs once from 0 to 1 across the phases, with or without a download', () => {
    for (const downloaded of [true, false]) {
      const seq = [
        overallFraction(null, downloaded),
        ...(downloaded ? [overallFraction(progress('download', 0.5), true), overallFraction(progress('download', 1), true)] : []),
        overallFraction(progress('gpu', 0.5), downloaded),
        overallFraction(progress('shaders', 0.5), downloaded),
        overallFraction(progress('done', 1), downloaded),
      ];
      expect(seq[0]).toBe(0);
      expect(seq.at(-1)).toBe(1);
      for (let i = 1; i < seq.length; i++) expect(seq[i]).toBeGreaterThan(seq[i - 1]);
    }
  });
});
