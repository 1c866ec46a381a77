import { describe, expect, it } from 'vitest';
import { LogitCapture, logSoftmaxAt } from './logits';

describe('logit capture', () => {
  it('computes log-softmax over the whole vocabulary', () => {
    const logits = Float32Array.from([2, 1, 0, -1, 1000 - 1000]);
    const z = [2, 1, 0, -1, 0].reduce((s, l) => s + Math.exp(l), 0);
    const [a, b] = logSoftmaxAt(logits, [0, 3]);
    expect(a).toBeCloseTo(2 - Math.log(z), 12);
    expect(b).toBeCloseTo(-1 - Math.log(z), 12);
    // stable for large logits
    expect(logSoftmaxAt(Float32Array.from([1000, 1000]), [0])[0]).toBeCloseTo(Math.log(0.5), 12);
    expect(() => logSoftmaxAt(logits, [9])).toThrow(/outside the model's vocabulary/);
  });

  it('keeps the watched values of the latest forward, returns logits unchanged, and resets', () => {
    const c = new LogitCapture();
    const logits = Float32Array.from([0, 1, 2]);
    expect(c.processLogits(logits)).toBe(logits); // nothing watched yet
    expect(c.take()).toBeNull();
    c.watch([2, 0]);
    expect(c.processLogits(logits)).toBe(logits);
    expect(c.take()).toEqual(logSoftmaxAt(logits, [2, 0]));
    expect(c.take()).toBeNull(); // taken
    c.processLogits(logits);
    c.resetState();
    expect(c.take()).toBeNull();
  });
});
