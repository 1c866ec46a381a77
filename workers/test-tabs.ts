// One browser's Web Locks and BroadcastChannels, in memory, for run hosts in one Node process (the
// tests' tabs): the semantics the run worker relies on, as the Web Locks spec states them. An
// exclusive lock is granted when nobody holds it, a shared one when no exclusive one is held;
// `ifAvailable` answers null instead of waiting; a queued request can be aborted; every request
// is granted in order of asking; a message reaches every other channel of its name, a task later,
// as a copy.

import type { Channel, Locks, TabMessage } from './run/tabs';

interface Waiting {
  mode: LockMode;
  grant(): void;
}

export class FakeLocks implements Locks {
  #held = new Map<string, LockMode[]>();
  #queue = new Map<string, Waiting[]>();

  request<T>(name: string, a: LockOptions | LockGrantedCallback<T>, b?: LockGrantedCallback<T>): Promise<T> {
    const [options, callback] = typeof a === 'function' ? [{}, a] : [a, b as LockGrantedCallback<T>];
    const mode = options.mode ?? 'exclusive';
    const run = async (): Promise<T> => {
      try {
        return await callback({ name, mode });
      } finally {
        const held = this.#held.get(name) ?? [];
        held.splice(held.indexOf(mode), 1);
        this.#grantWaiting(name);
      }
    };
    if (this.#grantable(name, mode) && (this.#queue.get(name)?.length ?? 0) === 0) {
      this.#hold(name, mode);
      return run();
    }
    if (options.ifAvailable) return Promise.resolve(callback(null));
    return new Promise<T>((resolve, reject) => {
      const queue = this.#queue.get(name) ?? [];
      this.#queue.set(name, queue);
      const waiting: Waiting = { mode, grant: () => void run().then(resolve, reject) };
      queue.push(waiting);
      options.signal?.addEventListener('abort', () => {
        const i = queue.indexOf(waiting);
        if (i < 0) return;
        queue.splice(i, 1);
        reject(options.signal?.reason ?? new DOMException('The request was aborted.', 'AbortError'));
        this.#grantWaiting(name);
      });
    });
  }

  async query(): Promise<LockManagerSnapshot> {
    const held = [...this.#held].flatMap(([name, modes]) => modes.map((mode) => ({ name, mode })));
    const pending = [...this.#queue].flatMap(([name, q]) => q.map((w) => ({ name, mode: w.mode })));
    return { held, pending };
  }

  #grantable(name: string, mode: LockMode): boolean {
    const held = this.#held.get(name) ?? [];
    return mode === 'exclusive' ? held.length === 0 : !held.includes('exclusive');
  }

  #hold(name: string, mode: LockMode): void {
    this.#held.set(name, [...(this.#held.get(name) ?? []), mode]);
  }

  #grantWaiting(name: string): void {
    const queue = this.#queue.get(name) ?? [];
    while (queue.length > 0 && this.#grantable(name, queue[0].mode)) {
      const next = queue.shift() as Waiting;
      this.#hold(name, next.mode);
      next.grant();
    }
  }
}

/** BroadcastChannels of one browser: `open(name)` is `new BroadcastChannel(name)`. */
export class FakeChannels {
  #open = new Map<string, Set<FakeChannel>>();

  open = (name: string): Channel => {
    const channel = new FakeChannel(this.#open.get(name) ?? new Set());
    this.#open.set(name, channel.peers);
    channel.peers.add(channel);
    return channel;
  };
}

class FakeChannel implements Channel {
  #listeners: ((e: MessageEvent<TabMessage>) => void)[] = [];
  constructor(readonly peers: Set<FakeChannel>) {}

  postMessage(m: TabMessage): void {
    for (const peer of this.peers) if (peer !== this) setTimeout(() => peer.#deliver(structuredClone(m)));
  }

  addEventListener(_type: 'message', fn: (e: MessageEvent<TabMessage>) => void): void {
    this.#listeners.push(fn);
  }

  close(): void {
    this.peers.delete(this);
  }

  #deliver(data: TabMessage): void {
    if (!this.peers.has(this)) return;
    for (const fn of this.#listeners) fn({ data } as MessageEvent<TabMessage>);
  }
}

/** One browser: the tabs' hosts share its locks and channels. */
export const oneBrowser = () => {
  const channels = new FakeChannels();
  return { locks: new FakeLocks(), channel: channels.open };
};
