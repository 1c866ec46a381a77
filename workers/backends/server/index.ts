// An OpenAI-compatible completions server as a backend: the page checks the connection before a
// run (src/lib/server/connection.ts); each run reads through its own requests (model.ts).

import type { Backend } from '../backend';
import { serverKind } from './kind';
import { createServerModel, type ServerModelOptions } from './model';

export function serverBackend(options: Partial<ServerModelOptions> = {}): Backend<'server'> {
  return {
    descriptor: serverKind,
    needs: { kind: 'connection' },
    open: async (spec, dataset, indices) =>
      createServerModel(
        dataset.kind,
        indices.map((d) => dataset.items[d]),
        spec,
        { ...options, description: dataset.description },
      ),
  };
}
