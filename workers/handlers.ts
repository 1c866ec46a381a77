// The host's dispatch: one handler per request kind. Each feature (runs, model files, labeling)
// registers its part; host.ts puts the parts together and the compiler checks none is missing.

import type { ReplyMap, Request, RequestKind } from '../src/lib/protocol';

export type Req<K extends RequestKind> = Extract<Request, { kind: K }>;

export type Handlers = { [K in RequestKind]: (req: Req<K>) => ReplyMap[K] | Promise<ReplyMap[K]> };
