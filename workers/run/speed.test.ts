import { describe, expect, it } from 'vitest';
import type { LabelModel } from '../../src/lib/icm/model';
import { SpeedMeter, timed } from './speed';

describe('the run’s speed figures', () => {
  it('computed per step is a number where the model counts it and null ("not reported") where it cannot tell', async () => {
    let unknown = false;
    const model: LabelModel = { readSequence: async () => ({ reads: [], tokens: 100, computed: unknown ? 100 : 30, ...(unknown ? { computedUnknown: true } : {}) }) };
    const m = timed(model, () => 0);
    const meter = new SpeedMeter();
    const stepOf = async () => {
      const [c, u] = [m.computed(), m.computedUnknown()];
      await m.readSequence([]);
      meter.add({ ms: 10, tokens: 100, computed: m.computedUnknown() === u ? m.computed() - c : null, evaluations: 1, modelSeconds: 1 });
    };
    await stepOf();
    expect(meter.figures([])).toMatchObject({ computedPerStep: 30, prefillTokensPerSecond: 30 });
    unknown = true;
    await stepOf();
    expect(m.computedUnknown()).toBe(1);
    expect(meter.figures([])).toMatchObject({ computedPerStep: null, prefillTokensPerSecond: null, tokensPerStep: 100 });
  });
});
