import type { Pool } from 'pg';
import { drainDestination } from '../../engine/activation/drain-destination';
import { sandboxSchema } from '../../engine/runtime/sandbox-schema';
import type { WebhookReceiver } from '../../engine/server/webhook-receiver';
import { type BenchResult, timed } from '../measure';
import { connectorEnvironment, failLoudly, HOOK_SECRET } from './activation-sandbox';
import { AUDIENCE, HOOK_BATCH } from './bulk-audience';
import { deliverByHand } from './hand-written-delivery';

/** What a receiver must hold after a delivery of `members` entries: every one, none twice, all signed. */
function receiverProblems(who: string, receiver: WebhookReceiver, members: number): string[] {
  const problems: string[] = [];
  const held = receiver.members(AUDIENCE).length;
  if (held !== members) problems.push(`${who}: the receiver holds ${held} members, expected ${members}`);
  if (receiver.duplicates !== 0) problems.push(`${who}: the receiver got ${receiver.duplicates} duplicate changes`);
  const refused = receiver.receipts.filter((r) => r.status !== 200).length;
  if (refused !== 0) problems.push(`${who}: the receiver refused ${refused} requests`);
  return problems;
}

/** What the sandbox itself says Roster delivered to `hook`, read with independent SQL. */
async function recordedDeliveries(pool: Pool, schema: string): Promise<{ delivered: number; held: number }> {
  const { rows } = await pool.query<{ delivered: number; held: number }>(
    `select (select count(*)::int from ${schema}.activation_outbox where destination = 'hook' and status = 'delivered') as delivered,
            (select count(*)::int from ${schema}.destination_members where destination = 'hook') as held`,
  );
  return rows[0]!;
}

/**
 * (a) The audience's `members` entries delivered to a local webhook receiver by `drainDestination`
 * (claim, read fields, render, sign, POST, record), against hand-written code that reads the same
 * changes with one query, POSTs them in the same batches with the same concurrency to a second
 * receiver, and marks them delivered with one UPDATE. Both receivers must end with every member
 * and no duplicate; the outbox must say every change was delivered. Target: 20,000 members/s.
 */
export async function benchWebhookThroughput(
  pool: Pool,
  target: { sandbox: string; env: NodeJS.ProcessEnv; members: number },
  receivers: { roster: WebhookReceiver; hand: WebhookReceiver },
): Promise<BenchResult> {
  const { sandbox, members } = target;
  const schema = sandboxSchema(sandbox);
  const errors: string[] = [];
  const environment = connectorEnvironment(target.env, errors);
  const [drained, rosterSeconds] = await timed(() =>
    drainDestination({ pool, sandbox, destination: 'hook', environment }),
  );
  const recorded = await recordedDeliveries(pool, schema);
  const [, handSeconds] = await timed(() =>
    deliverByHand(pool, {
      schema,
      destination: 'hook',
      segment: AUDIENCE,
      url: receivers.hand.url,
      secret: HOOK_SECRET,
      batchSize: HOOK_BATCH.batchSize,
      concurrency: HOOK_BATCH.maxConcurrency,
    }),
  );
  failLoudly('(a) webhook throughput', [
    ...errors,
    ...(drained.status === 'drained' && drained.delivered === members
      ? []
      : [`drainDestination ended ${drained.status} having delivered ${drained.delivered} of ${members}`]),
    ...(recorded.delivered === members && recorded.held === members
      ? []
      : [
          `the outbox has ${recorded.delivered} delivered changes and destination_members ${recorded.held} rows, expected ${members}`,
        ]),
    ...receiverProblems('Roster', receivers.roster, members),
    ...receiverProblems('hand-written', receivers.hand, members),
  ]);
  const roster = members / rosterSeconds;
  const baseline = members / handSeconds;
  const notes = `${drained.batches} batches of up to ${HOOK_BATCH.batchSize}, ${HOOK_BATCH.maxConcurrency} in flight; Roster ${rosterSeconds.toFixed(2)} s, hand-written ${handSeconds.toFixed(2)} s; receiver: ${members} members, 0 duplicates`;
  process.stderr.write(`  (a) ${notes}\n`);
  return {
    work: `activation (a) webhook: ${members} entered members through drainDestination`,
    roster,
    baseline,
    unit: 'members/s',
    target: '>= 20000 members/s',
    pass: roster >= 20_000,
    notes,
  };
}
