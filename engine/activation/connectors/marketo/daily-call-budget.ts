import type { Pool } from 'pg';
import { countInstanceCall, markInstanceExhausted } from '../../../runtime/marketo/instance-quota';
import { chicagoDay, MARKETO_QUOTA_TIME_ZONE, msUntilChicagoMidnight } from '../../../vendors/marketo/chicago-midnight';
import { DeliveryError } from '../../connector';

/**
 * The REST calls a Marketo destination may see spent at its instance per Marketo day
 * (`dailyQuota`). The count is the instance's, in `roster_shared.marketo_instances`: every
 * destination, source, process and sandbox calling the instance adds to it, since Marketo's quota
 * (often 50 000 calls) is the instance's. Days follow Marketo's: they end at midnight America/Chicago.
 *
 * A call is counted when it is started, in one statement, so calls started together anywhere never
 * overspend. Retries of a refused call (606, 615, token renewal) are not counted again: Marketo does
 * not count answers with a response-level error against the quota either.
 */
export class DailyCallBudget {
  private used = 0;

  constructor(
    /** Calls allowed per day at the instance, as far as this destination is concerned. */
    readonly quota: number,
    /** Names the destination in error messages, e.g. `Destination/acme-marketo`. */
    private readonly label: string,
    /** Where the instance's count is kept, and the instance (`marketoInstanceOf`). */
    private readonly at: { pool: Pool; instance: string },
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one call about to start; throws a retryable `DeliveryError` when today's calls are spent. */
  async take(): Promise<void> {
    const { pool, instance } = this.at;
    const count = await countInstanceCall(pool, { instance, day: chicagoDay(this.now()), quota: this.quota });
    this.used = count.calls;
    if (count.counted) return;
    if (count.exhausted) throw this.quotaReached('Marketo answered 607 (daily quota reached) earlier today');
    throw this.quotaReached(
      `its dailyQuota of ${this.quota} calls is spent (${count.calls} calls to ${instance} today, by every destination and source calling it)`,
    );
  }

  /** Records that Marketo refused a call with 607 (every caller of the instance stops), and returns the error to report. */
  async spentAtMarketo(cause: unknown): Promise<DeliveryError> {
    // Best effort: the error is reported either way, and the next call would be refused again.
    await markInstanceExhausted(this.at.pool, this.at.instance, chicagoDay(this.now())).catch(() => undefined);
    return this.quotaReached("Marketo answered 607: the instance's daily API quota is reached", cause);
  }

  /** The instance's calls counted today, as of this destination's last call. */
  get usedToday(): number {
    return this.used;
  }

  private quotaReached(why: string, cause?: unknown): DeliveryError {
    const retryAfterMs = msUntilChicagoMidnight(this.now());
    const minutes = Math.ceil(retryAfterMs / 60_000);
    const wait = minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
    return new DeliveryError(
      `${this.label}: ${why}; delivery resumes when the quota resets at midnight ${MARKETO_QUOTA_TIME_ZONE} (in ${wait}). Raise dailyQuota, or ask Marketo for a larger quota (Admin > Web Services shows the usage)`,
      { retryable: true, retryAfterMs, cause },
    );
  }
}
