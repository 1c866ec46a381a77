// Play / pause / step / speed, the way tensorflow/playground's player is a loop around step():
// every run has a generation counter; pause, step, reset and delete bump it, and a loop in flight
// stops itself when it sees the change. Its steps go through the run's queue, one at a time.

import type { HostContext } from '../context';
import type { Session, Sessions } from './session';

/** The Web Lock a tab's worker holds while it plays a run. */
export const runLock = (runId: string) => `icm-run-${runId}`;

/** The runs some worker of this browser is playing now (none where Web Locks are missing). */
export async function runsPlayedElsewhere(): Promise<Set<string>> {
  const held = (await globalThis.navigator?.locks?.query())?.held ?? [];
  return new Set(held.flatMap((l) => (l.name?.startsWith('icm-run-') ? [l.name.slice('icm-run-'.length)] : [])));
}

export function createPlayer(ctx: HostContext, sessions: Sessions) {
  const { serial, advance, finished, setStatus, push, fail } = sessions;

  function loop(s: Session, gen: number): Promise<void> {
    return (async () => {
      let unpushed = false;
      try {
        while (s.gen === gen) {
          const stepStarted = ctx.now();
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
          const wait = s.stepsPerSecond ? 1000 / s.stepsPerSecond - (ctx.now() - stepStarted) : 0;
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

  function start(s: Session, gen: number): void {
    const previous = s.loop;
    const run = () => (previous ? previous.then(() => loop(s, gen)) : loop(s, gen)); // loops never reject
    // held while the loop runs, so another tab's worker can tell this run is being played here
    const locks = globalThis.navigator?.locks;
    const current: Promise<void> = locks ? locks.request(runLock(s.record.id), () => run()).then(() => undefined) : run();
    s.loop = current;
    s.loopGen = gen;
    void current.finally(() => {
      if (s.loop === current) s.loop = null;
    });
  }

  const playing = (s: Session) => s.loop !== null && s.loopGen === s.gen;

  /** Plays from the persisted state: after a reload, a crash (Retry) or a pause. */
  async function play(s: Session): Promise<void> {
    if (playing(s) || (s.record.status === 'done' && finished(s))) return;
    const gen = ++s.gen;
    await serial(s, () => setStatus(s, 'running'));
    if (s.gen === gen) start(s, gen);
  }

  /** Stops the loop (its step in flight still completes and is saved) and marks the run paused. */
  async function stop(s: Session): Promise<void> {
    s.gen++;
    s.model?.cancel(); // a server's requests in flight; the step they belong to is not saved
    if (s.record.status === 'running') await setStatus(s, 'paused');
  }

  /** One step by hand: the loop stops first. */
  async function stepOnce(s: Session): Promise<void> {
    await stop(s);
    await serial(s, async () => {
      await advance(s);
      const status = finished(s) ? 'done' : 'paused';
      if (s.record.status !== status || s.record.error !== null) await setStatus(s, status);
    });
    push(s);
  }

  /** Stops the loop and waits for it to end (its last update goes out first). */
  async function halt(s: Session): Promise<void> {
    s.gen++;
    await s.loop;
  }

  return { play, stop, stepOnce, halt };
}
