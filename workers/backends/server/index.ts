// An OpenAI-compatible completions server as a backend: the page checks the connection before a
// run (src/lib/server/connection.ts); each run reads through its own requests (model.ts).

import { validateServerSpec } from '../../../src/lib/model/params';
import type { Backend } from '../backend';
import { createServerModel, type ServerModelOptions } from './model';

export function serverBackend(options: Partial<ServerModelOptions> = {}): Backend<'server'> {
  return {
    kind: 'server',
    needs: { kind: 'connection' },
    validate: (spec) => validateServerSpec(spec),
    open: async (spec, dataset, indices) =>
      createServerModel(
        dataset.kind,
        indices.map((d) => dataset.items[d]),
        spec,
        { ...options, description: dataset.description },
      ),
  };
}
