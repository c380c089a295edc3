import type { Pool } from 'pg';
import { drainDestination } from '../../engine/activation/drain-destination';
import { sandboxSchema } from '../../engine/runtime/sandbox-schema';
import { evaluateSegment } from '../../engine/segment/evaluate-segment';
import { readAppliedSegments } from '../../engine/segment/read-applied-segments';
import { timed } from '../measure';
import { activationEnv, applyProject, connectorEnvironment, failLoudly, loadPersons } from './activation-sandbox';

/** The segment of the throughput benchmarks: every person with an email (all of them). */
export const AUDIENCE = 'audience';
/** The webhook destination's batch size and concurrency, also used by the hand-written baseline. */
export const HOOK_BATCH = { batchSize: 1000, maxConcurrency: 4 };
/** The Marketo static list the audience is bound to. */
export const LIST_ID = 3001;

/** The servers the audience is delivered to. */
export interface AudienceTargets {
  hookUrl: string;
  /** The fake Marketo, and the calls per rate window the destination is told it may make. */
  marketo: { url: string; clientId: string; clientSecret: string; callsPerWindow: number };
}

function projectFiles(targets: AudienceTargets): Record<string, string> {
  return {
    'audience.yaml': `apiVersion: roster/v1
kind: Segment
metadata: { name: ${AUDIENCE} }
spec:
  subject: person
  evaluation: batch
  where: { attribute: email, op: exists }
`,
    'hook.yaml': `apiVersion: roster/v1
kind: Destination
metadata: { name: hook }
spec:
  type: webhook
  webhook: { url: '${targets.hookUrl}', secret: '{{ secret("HOOK_SECRET") }}', batchSize: ${HOOK_BATCH.batchSize} }
  rateLimit: { maxConcurrency: ${HOOK_BATCH.maxConcurrency} }
  segments: [{ segment: ${AUDIENCE} }]
`,
    'marketo.yaml': `apiVersion: roster/v1
kind: Destination
metadata: { name: marketo }
spec:
  type: marketo-static-list
  marketo:
    endpoint: '${targets.marketo.url}'
    clientId: ${targets.marketo.clientId}
    clientSecret: '{{ secret("MARKETO_SECRET") }}'
    callsPer20Seconds: ${targets.marketo.callsPerWindow}
  segments: [{ segment: ${AUDIENCE}, listId: ${LIST_ID} }]
`,
  };
}

/**
 * A sandbox whose `audience` segment has just been evaluated for the first time: `members` persons
 * bulk-loaded, the segment and both destinations applied, the destinations' bindings established
 * (as `roster run` does when a destination is applied), then one batch evaluation that writes the
 * real outbox rows, one per member and destination, and the statistics autovacuum would take.
 * Returns the environment delivery needs.
 */
export async function prepareBulkAudience(
  pool: Pool,
  databaseUrl: string,
  target: { sandbox: string; dir: string; members: number; targets: AudienceTargets },
): Promise<NodeJS.ProcessEnv> {
  const env = activationEnv({ MARKETO_SECRET: target.targets.marketo.clientSecret });
  const log = (line: string) => process.stderr.write(`  ${line}\n`);
  await applyProject(databaseUrl, { dir: target.dir, sandbox: target.sandbox, env }, projectFiles(target.targets));
  const schema = sandboxSchema(target.sandbox);
  const [, loadSeconds] = await timed(() => loadPersons(pool, schema, target.members));
  const errors: string[] = [];
  for (const destination of ['hook', 'marketo']) {
    const environment = connectorEnvironment(env, errors);
    await drainDestination({ pool, sandbox: target.sandbox, destination, environment });
  }
  const segment = (await readAppliedSegments(pool, target.sandbox)).find((s) => s.name === AUDIENCE)!;
  const [run, evaluateSeconds] = await timed(() => evaluateSegment(pool, target.sandbox, segment, new Date()));
  // What autovacuum does within a minute of a large evaluation (this server may run without it):
  // the delivery plans are measured on current statistics, not on those of empty tables.
  for (const table of ['segment_memberships', 'segment_membership_history', 'activation_outbox'])
    await pool.query(`analyze ${schema}.${table}`);
  failLoudly('the activation benchmark setup', [
    ...errors,
    ...(run.entered === target.members
      ? []
      : [`${run.entered} persons entered ${AUDIENCE}, expected ${target.members}`]),
  ]);
  log(
    `${target.members} persons loaded in ${loadSeconds.toFixed(1)} s; ${AUDIENCE} evaluated in ${evaluateSeconds.toFixed(1)} s (${run.entered} entered, outbox rows for 2 destinations)`,
  );
  return env;
}
