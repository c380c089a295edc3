import { deliverNextBatch } from './deliver-batch';
import { DeliveryProgress } from './delivery-progress';
import type { DeliveryRun, DeliveryTotals } from './delivery-run';

/**
 * Delivers a destination's due changes until none is left, with `maxConcurrency` batches in flight
 * (at most half the pool's connections). Each batch is claim - send - record (`deliverNextBatch`):
 * a short transaction leases the changes, the request goes out with no transaction open, and a
 * short transaction records the outcome if the lease is still the batch's. A worker that dies
 * leaves a lease that expires, and the batch is claimed and sent again (at least once, decisions
 * 27 and 58). Delivery stops early when the destination asks to wait (Retry-After, quota), when
 * as many batches in a row as are in flight failed and will be retried (it is down; retries come
 * when due), on `finish` (no new batch; those in flight land) or on `signal` (requests cancelled,
 * their changes released).
 */
export async function deliverBatches(run: DeliveryRun): Promise<DeliveryTotals> {
  const totals: DeliveryTotals = { delivered: 0, unmatched: 0, retrying: 0, dead: 0, batches: 0 };
  const concurrency = Math.max(1, run.connector.maxConcurrency);
  const workers = Math.min(concurrency, Math.max(1, Math.floor((run.pool.options.max ?? 10) / 2)));
  const progress = new DeliveryProgress(workers, run.onSuccess);
  const ending = () => totals.stopped !== undefined || run.signal.aborted || run.finish?.aborted === true;
  const worker = async () => {
    while (!ending()) {
      // The pace is kept before the claim: a batch waiting for its turn holds no changes.
      const paced = await run.budget.take(run.signal).then(
        () => true,
        () => false, // cancelled
      );
      if (!paced) return;
      progress.active++;
      let held = false;
      let alone = false;
      const outcome = await deliverNextBatch(run, totals, progress, () => {
        held = true;
      })
        .catch((error: unknown) => {
          totals.stopped ??= 'a batch could not be recorded'; // the siblings finish; the drain reports the error
          throw error;
        })
        .finally(() => {
          alone = progress.ended(held);
        });
      if (outcome === 'empty') {
        // An empty claim proves nothing while other batches are in flight: their subjects' later
        // changes wait for them. Look again when one of them is done; stop when none is left.
        // (A worker whose batch ends always claims again, so the changes its outcome made due are
        // never left behind.)
        if (alone || !(await progress.nextEnd())) return;
      } else {
        progress.count(outcome, totals);
      }
    }
  };
  // Every batch in flight is recorded before delivery ends, even when one of them fails to record
  // (the drain must not unlock the destination while siblings are still sending).
  const settled = await Promise.allSettled(Array.from({ length: workers }, worker));
  await progress.flushSuccess();
  const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
  return totals;
}
