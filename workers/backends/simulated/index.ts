// The simulated model as a backend: nothing to load, no context limit, no tokenizer of its own
// (its tokens are estimated, as the model itself counts them).

import { estimatingTokenizer, tokenCounts } from '../../../src/lib/model/tokens';
import { plainModel, type Backend } from '../backend';
import { simulatedKind } from './kind';
import { simulatedModelFor } from './model';

export function simulatedBackend(): Backend<'simulated'> {
  return {
    descriptor: simulatedKind,
    needs: { kind: 'nothing' },
    async open(spec, dataset, indices) {
      const counts = () => tokenCounts(estimatingTokenizer, dataset.kind, indices.map((d) => dataset.items[d]));
      const model = simulatedModelFor(dataset.kind, dataset.items, indices, spec.params);
      return plainModel(model, counts, { segmentTokens: model.segmentTokens }); // so the run counts what reuse saves
    },
  };
}
