import type { BatchOutcome, DeliveryTotals } from './delivery-run';

/** Batches in flight, consecutive failures, claims one at a time, lone batches, and the throttled success record. */
export class DeliveryProgress {
  /** Workers between the start of a claim and the end of its batch. */
  active = 0;
  /** Batches claimed and not yet recorded. */
  private inFlight = 0;
  private failuresInARow = 0;
  private waiters: ((again: boolean) => void)[] = [];
  private landedWaiters: (() => void)[] = [];
  private successPending = false;
  private lastSuccessAt = 0;
  private recording: Promise<void> = Promise.resolve();
  private claiming: Promise<unknown> = Promise.resolve();
  /** Set while a batch is sent alone: claims wait for it. */
  private lone: Promise<void> | undefined;

  constructor(
    /** Batches in flight at most: that many failures in a row mean every batch failed. */
    private readonly workers: number,
    private readonly onSuccess: (() => Promise<void>) | undefined,
  ) {}

  /**
   * A worker's batch ended; true when no other worker is claiming or delivering. Waiting
   * workers claim again when it held changes (the changes waiting for its subjects may be due
   * now), and stop when nobody is left claiming. An empty claim beside others wakes nobody: workers
   * would wake each other without end.
   */
  ended(held: boolean): boolean {
    this.active--;
    if (held || this.active === 0) for (const wake of this.waiters.splice(0)) wake(held);
    return this.active === 0;
  }

  /** Resolves true when a batch that held changes ended (claim again), false when all went idle (stop). */
  nextEnd(): Promise<boolean> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Runs claims one at a time. Claims that run side by side share out the due changes between
   * them: four workers would send three due changes as three batches instead of one (and to
   * Marketo, spend calls on it). One after another, each claim sees the rows the previous one
   * leased and takes a full batch of the rest; a claim takes milliseconds, the batch's delivery
   * far longer, so batches in flight still overlap. No claim starts while a batch is sent alone.
   */
  serially<T>(claim: () => Promise<T>): Promise<T> {
    const turn = this.claiming.then(() => this.lone).then(claim);
    this.claiming = turn.catch(() => undefined);
    return turn;
  }

  /** A batch was claimed; `landed` when it is recorded (or released). */
  claimed(): void {
    this.inFlight++;
  }

  landed(): void {
    this.inFlight--;
    for (const wake of this.landedWaiters.splice(0)) wake();
  }

  /**
   * Keeps every other claim waiting until the returned function is called. Called inside a claim's
   * turn of `serially` (so that no later claim slips in before it), by a worker whose batch must be
   * sent alone: one whose worker died before. If it takes this worker down too, the crash counts
   * against its changes only, not against innocent batches that happened to be in flight beside it
   * (decision 62).
   */
  holdClaims(): () => void {
    let release = () => {};
    this.lone = new Promise((resolve) => {
      release = () => {
        this.lone = undefined;
        resolve();
      };
    });
    return release;
  }

  /** Resolves once the caller's batch is the only one claimed and not yet recorded. */
  async othersLanded(): Promise<void> {
    while (this.inFlight > 1) await new Promise<void>((resolve) => this.landedWaiters.push(resolve));
  }

  count(outcome: Exclude<BatchOutcome, 'empty'>, totals: DeliveryTotals): void {
    if (outcome === 'landed') {
      this.failuresInARow = 0;
      this.successPending = true;
      if (Date.now() - this.lastSuccessAt >= 1000) void this.flushSuccess();
    } else if (outcome === 'retrying' && ++this.failuresInARow >= this.workers) {
      // Dead letters do not count: a change retrying cannot fix says nothing about the next one.
      totals.stopped ??= 'every batch failed';
    }
  }

  /** Records the last success now if batches landed since the last record; resolves when it is written. */
  flushSuccess(): Promise<void> {
    const onSuccess = this.onSuccess;
    if (this.successPending && onSuccess) {
      this.successPending = false;
      this.lastSuccessAt = Date.now();
      // Informational, so a failure is ignored: the outcomes themselves are recorded.
      this.recording = this.recording.then(() => onSuccess().catch(() => undefined));
    }
    return this.recording;
  }
}
