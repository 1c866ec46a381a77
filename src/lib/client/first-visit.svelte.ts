// The first visit (TensorFlow Playground's habit: the page moves at once). A visitor who opens the
// bare address in a browser with no runs gets a run that is already playing: the default set-up,
// math-solution verification with the simulated model: the built-in task where ICM's lead over
// random-label few-shot prompting, the critics' baseline, is largest (README, "Measured figures":
// +9.1 points, against +5.5 and +6.9), and +34.6 over zero-shot. A link with settings (`?task=…`) or a screen (`#import`) opens what it
// names instead. This browser remembers the visit, so deleting every run later does not bring the
// demo back; it also remembers which run was the demo, whose caption shows until dismissed.

import { defaultSettings } from '../url/settings';
import { hashForRun, type AppState } from './app.svelte';

export const DEMO_SPEED = 20; // steps a second: each step can be seen, and accuracy settles within ~15 s
export const VISITED = 'icm.visited'; // localStorage: this browser has opened the app before
const DEMO_RUN = 'icm.demoRun'; // localStorage: the demo run's id, while its caption shows

export type KeyValue = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const isBare = (url: { search: string; hash: string }) => url.search.replace(/^\?/, '') === '' && url.hash.replace(/^#/, '') === '';

export class FirstVisit {
  /** The demo run, whose caption shows while it is open; null once dismissed. */
  runId = $state<string | null>(null);
  /** A first visit whose demo is being set up: the page shows "Loading…", not the set-up form. */
  pending = $state(false);

  constructor(
    private readonly storage: KeyValue | null,
    url: { search: string; hash: string },
  ) {
    this.runId = storage?.getItem(DEMO_RUN) ?? null;
    this.pending = storage !== null && storage.getItem(VISITED) === null && isBare(url);
  }

  /**
   * After app.start: on a first visit, creates the demo run, opens it under its own address
   * (`go` replaces the URL, so Back does not lead to an empty page) and plays it.
   */
  async begin(app: AppState, go: (hash: string) => void): Promise<void> {
    if (!this.pending || !this.storage) return;
    try {
      if (!app.loaded) return; // the worker did not start: the alert says why
      this.storage.setItem(VISITED, new Date().toISOString());
      if (app.runs.length > 0) return; // runs made before this browser kept the mark
      const s = defaultSettings();
      const created = await app.createRun(s.task, s.config, { kind: 'simulated', params: s.params }, DEMO_SPEED);
      if (!created || !('run' in created)) return; // the alert says why; the set-up form shows
      const id = created.run.id;
      this.storage.setItem(DEMO_RUN, id);
      this.runId = id;
      go(hashForRun(id));
      await app.followHash(hashForRun(id));
    } finally {
      this.pending = false;
    }
    if (this.runId !== null && app.open?.run.id === this.runId) await app.play();
  }

  dismiss(): void {
    this.storage?.removeItem(DEMO_RUN);
    this.runId = null;
  }
}
