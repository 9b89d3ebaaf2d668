// A bounded number of slots for work that is expensive per call (a browser printing a report):
// at most `size` run at once, at most `queue` more wait, and a call beyond that is refused at once
// (429 with Retry-After) instead of piling up browsers and memory on a public server.
import { TooManyRequests } from '../core/problems.ts';
import { coded } from '../contracts/codes/index.ts';

export class Slots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(
    private readonly size: number,
    private readonly queue: number,
    private readonly retryAfterSeconds = 10,
  ) {}

  /** Runs `task` in a slot, waiting for one if need be. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) {
      if (this.waiting.length >= this.queue)
        throw new TooManyRequests(
          coded('server-busy-rendering', { seconds: this.retryAfterSeconds }),
          this.retryAfterSeconds,
        );
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running++;
    try {
      return await task();
    } finally {
      // The slot passes straight to the next waiter, so `running` stays as it is.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  get busy(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}
