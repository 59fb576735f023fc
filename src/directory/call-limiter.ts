/**
 * At most `limit` Talemetry calls of a sync run on the wire, the rest waiting in arrival order. Urgent
 * waiters — the next Match page, which every later detail call depends on, and a retry, whose page holds
 * up every commit after it — go ahead of the others, in their own arrival order. The sync loop halves
 * the limit when Talemetry answers `429` (it is asking us to slow down): calls already on the wire
 * finish, new ones start only below the new limit.
 */
export class CallLimiter {
  private active = 0;
  private peak = 0;
  private closed: Error | null = null;
  private readonly waiting: Array<{ urgent: boolean; start: () => void; abandon: (reason: Error) => void }> = [];

  /** @param limit calls on the wire at most (at least 1). */
  constructor(private current: number) {
    if (!Number.isInteger(current) || current < 1) throw new RangeError("CallLimiter: limit must be a positive integer");
  }

  /** The current limit. */
  get limit(): number {
    return this.current;
  }

  /** The most calls that were ever on the wire at once. */
  get peakInFlight(): number {
    return this.peak;
  }

  /** Halves the limit (never below 1). */
  halve(): void {
    this.current = Math.max(1, Math.floor(this.current / 2));
  }

  /** Calls still waiting are abandoned (rejected with `reason`), and so is every later one; calls on the wire finish. */
  close(reason: Error): void {
    this.closed = reason;
    for (const waiter of this.waiting.splice(0)) waiter.abandon(reason);
  }

  /** Resolves once a slot is held by the caller, who must `release()` it exactly once. */
  async acquire(opts: { urgent?: boolean } = {}): Promise<void> {
    if (this.closed) throw this.closed;
    if (this.active < this.current) this.active++;
    else {
      // A released slot is handed over with `active` already counted (see dispatch), so no other caller
      // can take it between the release and this caller's resumption.
      await new Promise<void>((start, abandon) => {
        const urgent = opts.urgent === true;
        const waiter = { urgent, start, abandon };
        const firstNotUrgent = urgent ? this.waiting.findIndex((w) => !w.urgent) : -1;
        if (firstNotUrgent >= 0) this.waiting.splice(firstNotUrgent, 0, waiter);
        else this.waiting.push(waiter);
      });
    }
    this.peak = Math.max(this.peak, this.active);
  }

  /** Gives a held slot back (to the next waiter, if the limit allows). */
  release(): void {
    this.active--;
    this.dispatch();
  }

  private dispatch(): void {
    while (this.waiting.length > 0 && this.active < this.current) {
      this.active++;
      this.waiting.shift()?.start();
    }
  }
}
