// At most `max` tasks running at once; the rest wait in arrival order. Servers batch the
// requests in flight (vLLM, llama-server with -np), so a few at a time is faster than one.

export class Limiter {
  private running = 0;
  private waiting: (() => void)[] = [];

  constructor(readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // hands its slot on: `running` stays the same
      else this.running--;
    }
  }

  get inFlight(): number {
    return this.running;
  }
}
