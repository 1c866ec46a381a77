import { describe, expect, it } from 'vitest';
import { parseReport, ProgressTracker } from './progress';

// Texts as web-llm 0.2.86 writes them (fetchTensorCacheInternal, reloadInternal).
const fetching = (i: number, n: number, mb: number, pct: number) =>
  `Fetching param cache[${i}/${n}]: ${mb}MB fetched. ${pct}% completed, 3 secs elapsed. It can take a while when we first visit this page to populate the cache. Later refreshes will become faster.`;

describe('load progress', () => {
  it('parses the phases of a load', () => {
    expect(parseReport({ progress: 0, timeElapsed: 0, text: 'Start to fetch params' })).toMatchObject({ phase: 'starting', fraction: 0 });
    expect(parseReport({ progress: 0.25, timeElapsed: 3, text: fetching(5, 20, 64, 25) })).toEqual({
      phase: 'download',
      fraction: 0.25,
      shard: 5,
      shards: 20,
      bytesDone: 64 * 2 ** 20,
      bytesTotal: 256 * 2 ** 20,
      text: fetching(5, 20, 64, 25),
    });
    expect(parseReport({ progress: 0.5, timeElapsed: 9, text: 'Loading model from cache[10/20]: 128MB loaded. 50% completed, 9 secs elapsed.' })).toMatchObject({
      phase: 'gpu',
      shard: 10,
      bytesDone: 128 * 2 ** 20,
    });
    expect(parseReport({ progress: 0.5, timeElapsed: 9, text: 'Loading GPU shader modules[40/80]: 50% completed, 9 secs elapsed.' })).toMatchObject({
      phase: 'shaders',
      shard: 40,
      shards: 80,
      bytesDone: null,
    });
    expect(parseReport({ progress: 1, timeElapsed: 10, text: 'Finish loading on WebGPU - nvidia' })).toMatchObject({ phase: 'done', fraction: 1 });
  });

  it('computes download speed from the start of the load', () => {
    let t = 1000;
    const tracker = new ProgressTracker(() => t);
    t = 3000;
    const p = tracker.update({ progress: 0.25, timeElapsed: 2, text: fetching(1, 4, 32, 25) });
    expect(p.bytesPerSecond).toBeCloseTo((32 * 2 ** 20) / 2, 6);
    expect(p.elapsedS).toBe(2);
    t = 5000;
    expect(tracker.update({ progress: 0.5, timeElapsed: 4, text: fetching(2, 4, 64, 50) }).bytesPerSecond).toBeCloseTo((64 * 2 ** 20) / 4, 6);
    expect(tracker.update({ progress: 0.5, timeElapsed: 4, text: 'Loading model from cache[1/4]: 32MB loaded. 25% completed, 4 secs elapsed.' }).bytesPerSecond).toBeNull();
  });

  it('shows the bytes that arrive between reports, at most once a second', () => {
    let t = 0;
    const tracker = new ProgressTracker(() => t);
    t = 400;
    expect(tracker.arrived(1000)).toMatchObject({ phase: 'starting', bytesReceived: 1000 }); // the first one at once
    t = 900;
    expect(tracker.arrived(500)).toBeNull();
    t = 1500;
    expect(tracker.arrived(500)).toMatchObject({ bytesReceived: 2000, elapsedS: 1.5 });
    t = 2000;
    expect(tracker.update({ progress: 0.25, timeElapsed: 2, text: fetching(1, 4, 32, 25) })).toMatchObject({ phase: 'download', bytesReceived: 2000 });
  });
});
