import type { InitEvent, StepEvent } from '../src/lib/icm/search';
import type { EventMessage, ReplyMap, Request, RequestKind, RunUpdate, WorkerMessage } from '../src/lib/protocol';
import { createHost, type HostDeps } from './host';
import { oneBrowser } from './test-tabs';

/** The browser every harness's host runs in unless a test gives it its own: hosts on one database are its tabs. */
const browser = oneBrowser();

/** A failed reply, rethrown with the error's name and message. */
export class ReplyError extends Error {}

/** A host driven like the worker drives it; every message is structured-cloned as postMessage would. */
export function hostHarness(deps: HostDeps) {
  const messages: WorkerMessage[] = [];
  const listeners = new Set<(e: EventMessage) => void>();
  const host = createHost((m) => {
    const copy = structuredClone(m);
    messages.push(copy);
    if (!('id' in copy)) for (const fn of listeners) fn(copy);
  }, { tabs: browser, ...deps });
  /** Pushed events as a page's client gets them. */
  const onEvent = (fn: (e: EventMessage) => void) => {
    listeners.add(fn);
    return () => void listeners.delete(fn);
  };
  let nextId = 0;
  async function send<K extends RequestKind>(req: Extract<Request, { kind: K }>): Promise<ReplyMap[K]> {
    const id = ++nextId;
    await host.handle({ ...req, id });
    const reply = messages.find((m) => 'id' in m && m.id === id);
    if (!reply || !('id' in reply)) throw new Error(`no reply to ${req.kind}`);
    if (!reply.ok) throw Object.assign(new ReplyError(reply.error.message), { name: reply.error.name });
    return reply.value as ReplyMap[K];
  }
  const updates = (): RunUpdate[] => messages.flatMap((m) => (m.kind === 'runUpdate' && !('id' in m) ? [m.update] : []));
  /** A run as the page sees it from the pushes so far: the newest update, and the log they add up to. */
  function view(runId: string): RunUpdate & { init: InitEvent | null; lastStep: StepEvent | null; tokens: number } {
    let init: InitEvent | null = null;
    let steps: StepEvent[] = [];
    const mine = updates().filter((u) => u.run.id === runId);
    for (const u of mine) {
      if (u.restart) [init, steps] = [u.restart.init, []];
      steps = [...steps, ...u.steps];
    }
    const newest = mine.at(-1);
    if (!newest) throw new Error(`no update of run ${runId}`);
    const tokens = (init?.tokens ?? 0) + steps.reduce((a, s) => a + s.tokens, 0); // as the page's log counts them
    return { ...newest, init, steps, lastStep: steps.at(-1) ?? null, tokens };
  }
  return { host, send, messages, updates, view, onEvent };
}
