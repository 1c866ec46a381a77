// Settings of the simulated model (DESIGN §4), shown in the UI.

export type SaliencePreset = 'truth' | 'spurious'; // which concept is most salient to the model

export interface SimulatedParams {
  knowledge: number; // share of items whose hidden belief agrees with gold, 0.5–1
  confidence: number; // mean probability the model puts on its belief when it follows it, 0.5–1
  bias: number; // zero-shot lean toward " True", 0 (none) – 1 (strong)
  salience: SaliencePreset;
}

export const defaultSimulatedParams: SimulatedParams = {
  knowledge: 0.85,
  confidence: 0.8,
  bias: 0.5,
  salience: 'truth',
};

/** How the web-llm backend reads label log-probabilities: full logits (exact, one pass per
 *  sequence) or completions with equal logit bias on both labels (slower fallback). */
export type WebLLMReadMode = 'logits' | 'logit-bias';

export type ModelSpec =
  | { kind: 'simulated'; params: SimulatedParams }
  | { kind: 'webllm'; modelId: string; mode: WebLLMReadMode };

export const simulatedRules: Record<Exclude<keyof SimulatedParams, 'salience'>, { min: number; max: number; label: string }> = {
  knowledge: { min: 0.5, max: 1, label: 'Knowledge' },
  confidence: { min: 0.5, max: 0.99, label: 'Confidence' },
  bias: { min: 0, max: 1, label: 'Bias' },
};

export function validateSimulatedParams(p: SimulatedParams): Partial<Record<keyof SimulatedParams, string>> {
  const errors: Partial<Record<keyof SimulatedParams, string>> = {};
  for (const [field, rule] of Object.entries(simulatedRules) as [keyof typeof simulatedRules, (typeof simulatedRules)['knowledge']][]) {
    const v = p[field];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < rule.min || v > rule.max)
      errors[field] = `${rule.label} must be between ${rule.min} and ${rule.max}.`;
  }
  if (p.salience !== 'truth' && p.salience !== 'spurious') errors.salience = 'Choose a salience preset.';
  return errors;
}
