// "The latest request wins": a page asks the worker again before an earlier answer came (another
// file, another model, another row); only the newest answer may change what is shown.

export class Latest {
  #current = 0;

  /** A ticket for a new request: true while no newer one was taken and nothing dropped it. */
  take(): () => boolean {
    const mine = ++this.#current;
    return () => mine === this.#current;
  }

  /** Every ticket taken so far goes stale (a reset, a cancel, a screen closed). */
  drop(): void {
    this.#current++;
  }
}
