import { describe, expect, it } from 'vitest';
import type { LabelModel } from '../icm/model';
import { availableBaselines, randomLabels, runBaseline, type BaselineMethod, type BaselineSetup } from './baselines';
import { accuracyWithCI } from './metrics';

// A hand-checkable learner over items 0…5 whose hidden truth is "even items are True".
// log-odds(t) = 0.25 + Σ over demonstrations d of s(d)·k(d, t), where s = ±1 for a True/False
// label and k = +1 when d and t have the same parity, −1 otherwise. Tokens: one per segment.
const parityModel: LabelModel = {
  async readSequence(segments) {
    let lo = 0.25;
    const target = segments[segments.length - 1].item;
    for (const s of segments) if (s.label !== null) lo += (s.label ? 1 : -1) * (s.item % 2 === target % 2 ? 1 : -1);
    return { reads: [{ item: target, logTrue: lo / 2, logFalse: -lo / 2 }], tokens: segments.length, computed: segments.length };
  },
};

const gold = [true, false, true, false, true, false];
const setup: BaselineSetup = { targets: [0, 1, 2, 3, 4, 5], demoPool: [0, 1, 2, 3], gold, seed: 4, rounds: 2 };
const letters = (ls: boolean[]) => ls.map((l) => (l ? 'T' : 'F')).join('');

async function labels(method: BaselineMethod, s: BaselineSetup = setup) {
  const r = await runBaseline(parityModel, method, s);
  if (!r.ok) throw new Error(r.message);
  return { labels: letters(r.result.predictions.map((p) => p.label)), demos: letters(r.result.demos.map((d) => d.label)), tokens: r.result.tokens };
}

describe('baselines on the same items and model, computed by hand', () => {
  it('random labels for seeds 1 and 4 are TFFF and FTTF (the cases worked below)', () => {
    expect(letters(randomLabels(4, 1))).toBe('TFFF');
    expect(letters(randomLabels(4, 4))).toBe('FTTF');
  });

  it('zero-shot: the bias alone, every item True', async () => {
    expect(await labels('zeroShot')).toEqual({ labels: 'TTTTTT', demos: '', tokens: 6 });
  });

  it('golden few-shot: every gold demonstration pushes toward the truth', async () => {
    // each demo adds +1 for even targets, −1 for odd; a pool target leaves itself out (±3.25), others ±4.25
    // tokens: 4 pool targets × (3 demos + 1) + 2 others × (4 + 1) = 26
    expect(await labels('goldenFewShot')).toEqual({ labels: 'TFTFTF', demos: 'TFTF', tokens: 26 });
  });

  it('few-shot with random labels FTTF: half right', async () => {
    // demo contributions to an even target: d0 −1, d1 −1, d2 +1, d3 +1 (odd targets: the opposite), sums 0;
    // t0 = 0.25 − (−1) > 0, t1 = 0.25 − (+1) < 0, t2 = 0.25 − 1 < 0, t3 = 0.25 + 1 > 0, t4 = t5 = 0.25
    const r = await labels('randomFewShot');
    expect(r).toEqual({ labels: 'TFFTTT', demos: 'FTTF', tokens: 26 });
    expect(accuracyWithCI([...r.labels].map((c) => c === 'T'), gold)?.accuracy).toBe(0.5);
  });

  it('bootstrapped from random labels TFFF: relabeling recovers the truth in one round', async () => {
    // round 1 from TFFF: even-target sum +2, odd −2; leaving each item out gives TFTF; round 2 keeps TFTF
    // tokens: 2 rounds × 4 reads × 4 segments + final 26 = 58
    expect(await labels('bootstrapped', { ...setup, seed: 1 })).toEqual({ labels: 'TFTFTF', demos: 'TFTF', tokens: 58 });
  });

  it('bootstrapped can oscillate: from FTTF the pool flips to TFFT and back each round', async () => {
    const r1 = await labels('bootstrapped', { ...setup, rounds: 1 });
    const r2 = await labels('bootstrapped', { ...setup, rounds: 2 });
    expect([r1.demos, r2.demos]).toEqual(['TFFT', 'FTTF']);
  });

  it('bootstrapped from zero-shot labels (all True): one round gives all False demonstrations', async () => {
    // tokens: 4 zero-shot reads + 1 round × 16 + 26
    expect(await labels('bootstrapped', { ...setup, rounds: 1, bootstrapStart: 'zeroShot' })).toEqual({ labels: 'TTTTTT', demos: 'FFFF', tokens: 46 });
  });

  it('golden few-shot needs gold on the pool; stops when asked; counts progress over every phase', async () => {
    const noGold = { ...setup, gold: gold.map(() => undefined) };
    expect(availableBaselines(noGold)).not.toContain('goldenFewShot');
    expect(availableBaselines(setup)).toContain('goldenFewShot');
    expect(await runBaseline(parityModel, 'goldenFewShot', noGold)).toMatchObject({ ok: false, reason: 'noGold' });

    const controller = new AbortController();
    const seen: [number, number][] = [];
    const r = await runBaseline(parityModel, 'bootstrapped', setup, {
      signal: controller.signal,
      onProgress: (p) => {
        seen.push([p.done, p.total]);
        if (p.done === 9) controller.abort();
      },
    });
    expect(r).toMatchObject({ ok: false, reason: 'stopped' });
    expect(seen.map((s) => s[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(seen[0][1]).toBe(2 * 4 + 6);
  });
});
