// Play / pause / step / speed, the way tensorflow/playground's player is a loop around step():
// every run has a generation counter; pause, step, reset and delete bump it, and a loop in flight
// stops itself when it sees the change. Its steps go through the run's queue, one at a time.
//
// One writer per run across the tabs of this browser (tabs.ts): whatever writes a run (the loop,
// a step by hand, reset, a status) runs as its writer, holding its Web Lock, taken only when free
// and then first brought up to date with what is stored. A worker that finds it taken follows the
// run instead (read-only, `elsewhere`), hears from the writer what changed, and waits for the lock
// to be let go: a run still stored as running then (its tab closed mid-play) is played on here.

import type { HostContext } from '../context';
import { HostError } from '../errors';
import type { Session, Sessions } from './session';

/** The refusal when another tab is the run's writer. */
export const PLAYING_ELSEWHERE = 'This run is playing in another tab of this browser, which alone writes it; this tab follows it read-only. Pause it (here or there), then Run plays it in this tab.';

export function createPlayer(ctx: HostContext, sessions: Sessions) {
  const { serial, model, advance, finished, setStatus, push, fail, resync } = sessions;

  /** Makes this worker the run's writer for one more operation; a BusyError when another tab is. */
  async function acquire(s: Session): Promise<void> {
    s.holders++;
    if (s.lock) return;
    try {
      s.taking ??= take(s).finally(() => (s.taking = null));
      if (await s.taking) return;
    } catch (e) {
      s.holders--;
      throw e;
    }
    s.holders--;
    push(s); // the page learns who plays it
    throw new HostError('BusyError', PLAYING_ELSEWHERE);
  }

  async function take(s: Session): Promise<boolean> {
    const release = await ctx.tabs.tryHold(s.record.id);
    if (!release) {
      s.elsewhere = true;
      watch(s);
      return false;
    }
    s.lock = release;
    s.elsewhere = false;
    s.watching?.abort();
    s.watching = null;
    try {
      await serial(s, () => resync(s)); // what another tab wrote before this one took over
    } catch (e) {
      s.lock = null;
      release();
      throw e;
    }
    return true;
  }

  /** One operation done; the last one lets the lock go. */
  function letGo(s: Session): void {
    s.holders--;
    if (s.holders > 0 || !s.lock) return;
    const release = s.lock;
    s.lock = null;
    release();
  }

  async function asWriter<T>(s: Session, fn: () => Promise<T>): Promise<T> {
    await acquire(s);
    try {
      return await fn();
    } finally {
      letGo(s);
    }
  }

  /** Waits for the tab writing the run to let it go, then shows the run as it left it. */
  function watch(s: Session): void {
    if (s.watching || s.gone) return;
    const stop = new AbortController();
    s.watching = stop;
    void ctx.tabs.whenFree(s.record.id, stop.signal).then(async (free) => {
      if (s.watching !== stop) return;
      s.watching = null;
      if (!free) return;
      await follow(s);
      // stored as running with no tab playing it: its tab went away mid-play. A reloading tab
      // plays it on by itself within moments; otherwise this one does, as a reload would.
      if (s.record.status === 'running' && !s.elsewhere) setTimeout(() => void resume(s), ctx.takeOverMs);
    });
  }

  /** Follows what another tab wrote: the session resynced from storage and pushed to the page. */
  async function follow(s: Session): Promise<void> {
    if (s.lock || s.gone) return;
    s.unsaved = null; // written since by another tab: what storage holds now is the run
    s.stale = true;
    if (s.following) return;
    s.following = true;
    try {
      while (s.stale && !s.lock && !s.gone) {
        s.stale = false;
        await serial(s, () => resync(s));
        s.elsewhere = !s.lock && (await ctx.tabs.held(s.record.id));
        if (s.elsewhere) watch(s);
        push(s);
      }
    } finally {
      s.following = false;
    }
  }

  function loop(s: Session, gen: number): Promise<void> {
    return (async () => {
      let unpushed = false;
      try {
        while (s.gen === gen) {
          const stepStarted = ctx.now();
          await model(s); // loaded before the step takes the queue, so opening the run waits for no load
          const outcome = await serial(s, async () => {
            if (s.gen !== gen) return 'stopped';
            await advance(s);
            if (!finished(s)) return 'stepped';
            await setStatus(s, 'done');
            return 'done';
          });
          if (outcome === 'stopped') break;
          if (outcome === 'done') return push(s);
          unpushed = true;
          if (ctx.now() - s.lastPush >= ctx.updateIntervalMs) {
            push(s);
            unpushed = false;
          }
          await ctx.yieldNow(); // lets a 'pause' in the queue be read
          const speed = s.record.stepsPerSecond; // read each step: a new speed applies at once
          const wait = speed ? 1000 / speed - (ctx.now() - stepStarted) : 0;
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait)); // the chosen speed, for watching
        }
        if (unpushed) push(s); // the step that was in flight when the loop was stopped
      } catch (e) {
        // a pause that cancelled a server's requests: the step was not saved, nothing is lost
        if (s.gen !== gen && e instanceof Error && e.name === 'AbortError') push(s);
        else await fail(s, e);
      }
    })();
  }

  /** Starts a loop after the ones before it; it holds the writer's lock until it ends. */
  function start(s: Session, gen: number): void {
    const previous = s.loop;
    const current = (previous ? previous.then(() => loop(s, gen)) : loop(s, gen)).finally(() => letGo(s)); // loops never reject
    s.loop = current;
    s.loopGen = gen;
    void current.finally(() => {
      if (s.loop === current) s.loop = null;
    });
  }

  const playing = (s: Session) => s.loop !== null && s.loopGen === s.gen;

  /** Plays from the persisted state: after a reload, a crash (Retry) or a pause. A BusyError
   *  (and nothing else done) when another tab plays the run. */
  async function play(s: Session): Promise<void> {
    if (playing(s)) return;
    await acquire(s);
    let started = false;
    try {
      if (playing(s) || (s.record.status === 'done' && finished(s))) return;
      const gen = ++s.gen;
      await serial(s, () => setStatus(s, 'running'));
      if (s.gen !== gen) return;
      start(s, gen);
      started = true;
    } finally {
      if (!started) letGo(s);
    }
  }

  /** A run stored as running, played on here unless another tab plays it (then followed). */
  async function resume(s: Session): Promise<void> {
    if (s.gone || s.lock) return;
    try {
      await play(s);
    } catch (e) {
      if (!(e instanceof HostError && e.name === 'BusyError')) throw e;
    }
  }

  /** Stops the loop (its step in flight still completes and is saved) and marks the run paused.
   *  A run another tab plays is paused there: that tab is asked to. */
  async function stop(s: Session): Promise<void> {
    s.gen++;
    s.model?.cancel(); // a server's requests in flight; the step they belong to is not saved
    if (s.record.status !== 'running') return;
    if (s.lock) return setStatus(s, 'paused');
    try {
      // stored as running and nobody plays it (its tab closed): paused here
      await asWriter(s, async () => {
        if (s.record.status === 'running') await serial(s, () => setStatus(s, 'paused'));
      });
    } catch (e) {
      if (!(e instanceof HostError && e.name === 'BusyError')) throw e;
      ctx.tabs.post({ kind: 'pause', runId: s.record.id });
    }
  }

  /** One step by hand: the loop stops first. */
  async function stepOnce(s: Session): Promise<void> {
    await asWriter(s, async () => {
      await stop(s);
      await serial(s, async () => {
        await advance(s);
        const status = finished(s) ? 'done' : 'paused';
        if (s.record.status !== status || s.record.error !== null) await setStatus(s, status);
      });
    });
    push(s);
  }

  /** Stops the loop and waits for it to end (its last update goes out first). */
  async function halt(s: Session): Promise<void> {
    s.gen++;
    await s.loop;
  }

  return { play, resume, stop, stepOnce, halt, asWriter, follow, watch, playing };
}
