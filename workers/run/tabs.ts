// The other tabs of this browser. Every tab has its own run worker on the one IndexedDB, so a run
// open in two tabs must have one writer: the worker holding the run's Web Lock. A worker takes it
// only when it is free (ifAvailable: never queued, since a queued request would later write from
// the state it had when it asked), and tells the others what it wrote on a BroadcastChannel, so
// they follow the run from storage, read-only, and say why.

/** What one tab's worker tells the others. */
export type TabMessage =
  | { kind: 'changed'; runId: string } // the writer stored steps or a status of this run
  | { kind: 'deleted'; runId: string }
  | { kind: 'pause'; runId: string } // a tab that follows this run asks the tab playing it to pause
  | { kind: 'imported' }; // runs and datasets were added from a project file

/** The parts of the Web Locks API used here (navigator.locks in a browser). */
export type Locks = Pick<LockManager, 'request' | 'query'>;

/** The parts of a BroadcastChannel used here. */
export interface Channel {
  postMessage(m: TabMessage): void;
  addEventListener(type: 'message', fn: (e: MessageEvent<TabMessage>) => void): void;
  close(): void;
}

export interface TabsDeps {
  locks?: Locks | null; // null: no Web Locks (each worker thinks itself alone; the store still refuses a step that does not follow)
  channel?: ((name: string) => Channel) | null; // null: no BroadcastChannel
}

/** The Web Lock of one run: its holder is the run's one writer. */
export const runLock = (runId: string) => `icm-run-${runId}`;

export interface Tabs {
  /** Takes the run's lock if no worker of this browser holds it; the release, or null when another does. */
  tryHold(runId: string): Promise<(() => void) | null>;
  /** True while some worker of this browser holds the run's lock (this one included). */
  held(runId: string): Promise<boolean>;
  /** Resolves true once no worker holds the run's lock; false when `signal` aborts first. */
  whenFree(runId: string, signal: AbortSignal): Promise<boolean>;
  post(m: TabMessage): void;
  listen(fn: (m: TabMessage) => void): void;
  close(): void;
}

export function createTabs(dbName: string, deps: TabsDeps = {}): Tabs {
  const locks = deps.locks !== undefined ? deps.locks : (globalThis.navigator?.locks ?? null);
  const open = deps.channel !== undefined ? deps.channel : typeof BroadcastChannel === 'undefined' ? null : (name: string) => new BroadcastChannel(name);
  const channel = open?.(`icm-tabs:${dbName}`) ?? null;

  return {
    tryHold(runId) {
      if (!locks) return Promise.resolve(() => undefined);
      return new Promise((resolve, reject) => {
        // the callback's promise holds the lock until the caller releases it
        locks.request(runLock(runId), { ifAvailable: true }, (lock) => (lock ? new Promise<void>((release) => resolve(release)) : resolve(null))).catch(reject);
      });
    },
    async held(runId) {
      if (!locks) return false;
      return ((await locks.query()).held ?? []).some((l) => l.name === runLock(runId));
    },
    async whenFree(runId, signal) {
      if (!locks) return true;
      try {
        // shared: granted as soon as no writer holds it, and let go at once
        await locks.request(runLock(runId), { mode: 'shared', signal }, () => undefined);
        return true;
      } catch (e) {
        if (signal.aborted) return false;
        throw e;
      }
    },
    post: (m) => channel?.postMessage(m),
    listen: (fn) => channel?.addEventListener('message', (e) => fn(e.data)),
    close: () => channel?.close(),
  };
}
