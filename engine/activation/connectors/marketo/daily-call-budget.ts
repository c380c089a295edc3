import { DeliveryError } from '../../connector';
import { chicagoDay, MARKETO_QUOTA_TIME_ZONE, msUntilChicagoMidnight } from './chicago-midnight';

/**
 * The REST calls one Marketo destination may spend per Marketo day (`dailyQuota`), counted by the
 * connector because the instance's quota (often 50 000 calls) is shared with every other
 * integration. Days follow Marketo's: they end at midnight America/Chicago.
 *
 * A call is counted when it is started, so calls started together never overspend. Retries of a
 * refused call (606, 615, token renewal) are not counted again: Marketo does not count answers with
 * a response-level error against the quota either.
 */
export class DailyCallBudget {
  private day: string;
  private used = 0;
  /** Set when Marketo itself said the instance's quota is reached (607): nothing more today. */
  private spentByMarketo = false;

  constructor(
    /** Calls allowed per day. */
    readonly quota: number,
    /** Names the destination in error messages, e.g. `Destination/acme-marketo`. */
    private readonly label: string,
    private readonly now: () => number = Date.now,
    /** Calls already spent (by earlier connectors of this destination); ignored when of another day. */
    spent?: { day: string; calls: number },
  ) {
    this.day = chicagoDay(now());
    if (spent?.day === this.day) this.used = spent.calls;
  }

  /** Today's Marketo day and the calls counted in it, to carry over to the next connector. */
  get today(): { day: string; calls: number } {
    this.rollOver();
    return { day: this.day, calls: this.used };
  }

  /** Counts one call about to start; throws a retryable `DeliveryError` when today's calls are spent. */
  take(): void {
    this.rollOver();
    if (this.spentByMarketo) throw this.quotaReached('Marketo answered 607 (daily quota reached) earlier today');
    if (this.used >= this.quota) {
      throw this.quotaReached(`its dailyQuota of ${this.quota} calls is spent`);
    }
    this.used++;
  }

  /** Records that Marketo refused a call with 607, and returns the error to report for it. */
  spentAtMarketo(cause: unknown): DeliveryError {
    this.rollOver();
    this.spentByMarketo = true;
    return this.quotaReached("Marketo answered 607: the instance's daily API quota is reached", cause);
  }

  /** Calls counted so far today. */
  get usedToday(): number {
    this.rollOver();
    return this.used;
  }

  private rollOver(): void {
    const today = chicagoDay(this.now());
    if (today === this.day) return;
    this.day = today;
    this.used = 0;
    this.spentByMarketo = false;
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
