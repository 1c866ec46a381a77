// The tasks the elicitation bench reads (scripts/bench-elicit.ts): the built-in ones, the
// generated file in TruthfulQA's layout (as the paper's file is imported: the claim's text as its
// key, "One right answer per group" off), and the candidate tasks written for models that should
// know the answer (src/lib/data/builtin/candidates.ts). All generated here; no downloaded data.
import { builtinDatasets } from '../src/lib/data/builtin/index';
import { importTruthfulqaLayout } from '../src/lib/data/builtin/truthfulLayout';
import { arithmeticDataset, codeDataset, pythonDataset, singleClaimsDataset } from '../src/lib/data/builtin/candidates';
import type { Dataset } from '../src/lib/data/types';

export const elicitationDatasets = (): Dataset[] => [...builtinDatasets(), { ...importTruthfulqaLayout(), id: 'truthfulqa' }, arithmeticDataset(), pythonDataset(), codeDataset(), singleClaimsDataset()];
