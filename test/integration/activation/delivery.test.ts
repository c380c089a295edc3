import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { drainDestination } from '../../../engine/activation/drain-destination';
import {
  startWebhookReceiver,
  type WebhookReceiver,
  type WebhookResponse,
} from '../../../engine/server/webhook-receiver';
import { rosterAsync } from '../../support/run-roster';
import { rosterOk, segmentYaml, useSegmentWorkspace, writeConfig, writeCrmData } from '../segment/segment-sandbox';
import {
  DELIVERY_ENV,
  drain,
  drainUntilSettled,
  evaluateAll,
  outboxOf,
  scoredPersons,
  webhookYaml,
} from './delivery-kit';

const workspace = useSegmentWorkspace();
const T1 = new Date('2026-06-01T00:00:00Z');
const T2 = new Date('2026-06-02T00:00:00Z');
const receivers: WebhookReceiver[] = [];

const HIGH = segmentYaml({
  name: 'high-score',
  subject: 'person',
  where: { attribute: 'score', op: 'gte', value: 50 },
});
const LOW = segmentYaml({ name: 'low-score', subject: 'person', where: { attribute: 'score', op: 'lt', value: 50 } });

async function receiver(respond?: (n: number) => WebhookResponse | undefined): Promise<WebhookReceiver> {
  let n = 0;
  const started = await startWebhookReceiver({
    secret: DELIVERY_ENV.HOOK_SECRET,
    ...(respond ? { respond: () => respond(++n) } : {}),
  });
  receivers.push(started);
  return started;
}

afterAll(async () => {
  for (const r of receivers) await r.close();
});

function emailsAt(r: WebhookReceiver, segment: string): string[] {
  return r
    .members(segment)
    .map((m) => String(m.fields?.email))
    .sort();
}

async function setup(prefix: string, files: Record<string, string>, scores: number[]) {
  const { sandbox, dir } = await workspace.newSandbox(prefix);
  await writeConfig(dir, files);
  await writeCrmData(dir, { persons: scoredPersons(scores) });
  const env = { ...workspace.env, ...DELIVERY_ENV };
  await rosterOk(['apply', dir, '--sandbox', sandbox, '--yes', '--no-evaluate'], env);
  await rosterOk(['source', 'run', 'crm', '--sandbox', sandbox], env);
  return { sandbox, dir, env };
}

describe('delivery through the outbox', () => {
  let good: WebhookReceiver;
  let sandbox: string;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    good = await receiver();
    ({ sandbox, dir, env } = await setup(
      'dlv',
      {
        'segments/high.yaml': HIGH,
        'destinations/hook.yaml': webhookYaml('hook', good.url, [{ segment: 'high-score' }]),
      },
      [10, 60, 70, 80, 20, 90],
    ));
    await evaluateAll(workspace, sandbox, T1);
  });

  it('delivers each entry once, in batches of batchSize, signed, and records what the destination holds', async () => {
    const result = await drain(workspace, sandbox, 'hook');
    expect(result).toMatchObject({ status: 'drained', delivered: 4, dead: 0, batches: 2 });
    expect(emailsAt(good, 'high-score')).toEqual(['p2@x.example', 'p3@x.example', 'p4@x.example', 'p6@x.example']);
    expect(good.receipts.map((r) => r.signature)).toEqual(['valid', 'valid']);
    expect(good.duplicates).toBe(0);
    expect((await outboxOf(workspace, sandbox, 'hook')).map((o) => o.status)).toEqual(Array(4).fill('delivered'));
    const { rows } = await workspace.pool.query(
      `select count(*)::int as n from roster_${sandbox}.destination_members where destination = 'hook' and segment = 'high-score'`,
    );
    expect(rows[0].n).toBe(4);
    expect(await drain(workspace, sandbox, 'hook')).toMatchObject({ status: 'drained', delivered: 0, batches: 0 });
  });

  it('sends the entries and exits of the next evaluation, and nothing already sent', async () => {
    await writeCrmData(dir, { persons: scoredPersons([95, 10, 70, 80, 20, 90]) });
    await rosterOk(['source', 'run', 'crm', '--sandbox', sandbox], env);
    await evaluateAll(workspace, sandbox, T2);
    expect(await drain(workspace, sandbox, 'hook')).toMatchObject({ delivered: 2, dead: 0 });
    expect(emailsAt(good, 'high-score')).toEqual(['p1@x.example', 'p3@x.example', 'p4@x.example', 'p6@x.example']);
    expect(good.duplicates).toBe(0);
  });

  it('backfills a destination bound later with the current members (first activation sends the membership)', async () => {
    const late = await receiver();
    await writeConfig(dir, {
      'segments/high.yaml': HIGH,
      'destinations/hook.yaml': webhookYaml('hook', good.url, [{ segment: 'high-score' }]),
      'destinations/late.yaml': webhookYaml('late', late.url, [{ segment: 'high-score' }]),
    });
    await rosterOk(['apply', dir, '--sandbox', sandbox, '--yes', '--no-evaluate'], env);
    expect(await drain(workspace, sandbox, 'late')).toMatchObject({ status: 'drained', backfilled: 4, delivered: 4 });
    expect(emailsAt(late, 'high-score')).toEqual(emailsAt(good, 'high-score'));
    expect(await drain(workspace, sandbox, 'late')).toMatchObject({ backfilled: 0, delivered: 0 });
  });

  it('pause accumulates changes and resume drains them; status shows both', async () => {
    await rosterOk(['destination', 'pause', 'hook', '--sandbox', sandbox], env);
    await writeCrmData(dir, { persons: scoredPersons([95, 10, 70, 80, 99, 90]) });
    await rosterOk(['source', 'run', 'crm', '--sandbox', sandbox], env);
    await evaluateAll(workspace, sandbox, new Date('2026-06-03T00:00:00Z'));
    expect(await drain(workspace, sandbox, 'hook')).toMatchObject({ status: 'paused', delivered: 0 });
    const paused = JSON.parse(
      await rosterOk(['destination', 'status', 'hook', '--sandbox', sandbox, '--format', 'json'], env),
    );
    expect(paused.destinations[0]).toMatchObject({ destination: 'hook', paused: true, pending: 1 });
    await rosterOk(['destination', 'resume', 'hook', '--sandbox', sandbox], env);
    const activated = await rosterOk(['destination', 'activate', 'hook', '--sandbox', sandbox], env);
    expect(activated).toContain('Destination/hook: drained');
    expect(emailsAt(good, 'high-score')).toContain('p5@x.example');
  });
});

describe('retries and dead letters', () => {
  it('retries 429 (after its Retry-After) and 500s, then succeeds', async () => {
    const flaky = await receiver((n) => {
      if (n === 1) return { status: 429, headers: { 'retry-after': '1' } };
      if (n <= 3) return { status: 500, body: 'try later' };
      return undefined;
    });
    const { sandbox } = await setup(
      'rty',
      {
        'segments/high.yaml': HIGH,
        'destinations/flaky.yaml': webhookYaml('flaky', flaky.url, [{ segment: 'high-score' }]),
      },
      [60, 70],
    );
    await evaluateAll(workspace, sandbox, T1);
    const first = await drain(workspace, sandbox, 'flaky');
    expect(first).toMatchObject({ status: 'waiting', retrying: 2, delivered: 0 });
    expect(await drain(workspace, sandbox, 'flaky')).toMatchObject({ status: 'waiting', delivered: 0, batches: 0 });
    await drainUntilSettled(workspace, sandbox, 'flaky');
    const outbox = await outboxOf(workspace, sandbox, 'flaky');
    expect(outbox.map((o) => [o.email, o.status, o.attempts])).toEqual([
      ['p1@x.example', 'delivered', 4],
      ['p2@x.example', 'delivered', 4],
    ]);
    expect(flaky.receipts.map((r) => r.status)).toEqual([429, 500, 500, 200]);
    expect(emailsAt(flaky, 'high-score')).toEqual(['p1@x.example', 'p2@x.example']);
  });

  it('dead-letters a permanently failing endpoint without stopping another destination; retry sends again', async () => {
    let healthy = false;
    const broken = await receiver(() => (healthy ? undefined : { status: 500, body: 'down for good' }));
    const fine = await receiver();
    const { sandbox, env } = await setup(
      'dead',
      {
        'segments/high.yaml': HIGH,
        'destinations/broken.yaml': webhookYaml('broken', broken.url, [{ segment: 'high-score' }], {
          maxAttempts: 2,
          initialDelaySeconds: 0.1,
        }),
        'destinations/fine.yaml': webhookYaml('fine', fine.url, [{ segment: 'high-score' }]),
      },
      [60, 70, 80],
    );
    await evaluateAll(workspace, sandbox, T1);
    await drainUntilSettled(workspace, sandbox, 'broken');
    expect(await drain(workspace, sandbox, 'fine')).toMatchObject({ status: 'drained', delivered: 3 });
    expect((await outboxOf(workspace, sandbox, 'broken')).map((o) => [o.status, o.attempts])).toEqual(
      Array(3).fill(['dead', 2]),
    );
    expect(emailsAt(fine, 'high-score')).toHaveLength(3);
    const status = await rosterOk(['destination', 'status', 'broken', '--sandbox', sandbox], env);
    expect(status).toContain('dead-lettered 3');
    expect(status).toContain('HTTP 500');
    expect(status).toContain('roster destination retry broken');
    healthy = true;
    expect(await rosterOk(['destination', 'retry', 'broken', '--sandbox', sandbox], env)).toContain(
      '3 dead-lettered changes queued again',
    );
    expect(await drain(workspace, sandbox, 'broken')).toMatchObject({ status: 'drained', delivered: 3 });
    expect(emailsAt(broken, 'high-score')).toHaveLength(3);
  });
});

describe('removing a segment from a destination', () => {
  it('removes its members (onRemove: remove) or keeps them (keep), once', async () => {
    const hook = await receiver();
    const bound = [{ segment: 'high-score' }, { segment: 'low-score', onRemove: 'keep' as const }];
    const { sandbox, dir, env } = await setup(
      'unb',
      {
        'segments/high.yaml': HIGH,
        'segments/low.yaml': LOW,
        'destinations/hook.yaml': webhookYaml('hook', hook.url, bound),
      },
      [10, 60, 70, 20],
    );
    await evaluateAll(workspace, sandbox, T1);
    await drain(workspace, sandbox, 'hook');
    expect(emailsAt(hook, 'high-score')).toHaveLength(2);
    expect(emailsAt(hook, 'low-score')).toHaveLength(2);
    // Both segments leave the destination (a third one keeps it valid: a destination activates at least one).
    const other = segmentYaml({
      name: 'nobody',
      subject: 'person',
      where: { attribute: 'score', op: 'gt', value: 1000 },
    });
    await writeConfig(dir, {
      'segments/high.yaml': HIGH,
      'segments/low.yaml': LOW,
      'segments/nobody.yaml': other,
      'destinations/hook.yaml': webhookYaml('hook', hook.url, [{ segment: 'nobody' }]),
    });
    await rosterOk(['apply', dir, '--sandbox', sandbox, '--yes', '--no-evaluate'], env);
    expect(await drain(workspace, sandbox, 'hook')).toMatchObject({ removed: 2, delivered: 2 });
    expect(emailsAt(hook, 'high-score')).toEqual([]);
    expect(emailsAt(hook, 'low-score')).toHaveLength(2);
    expect(await drain(workspace, sandbox, 'hook')).toMatchObject({ removed: 0, delivered: 0 });
    expect(hook.duplicates).toBe(0);
  });
});

describe('roster destination commands', () => {
  it('name the applied destinations when the one asked for is not applied', async () => {
    const { sandbox } = await workspace.newSandbox('cmd');
    const { code, stderr } = await rosterAsync(['destination', 'status', 'nope', '--sandbox', sandbox], workspace.env)
      .done;
    expect(code).toBe(1);
    expect(stderr).toBe(
      `DESTINATION_NOT_FOUND Destination/nope is not applied to sandbox ${sandbox} (applied: none); apply it first\n`,
    );
  });
});

describe('changes that must not be replayed out of order', () => {
  it('retry cancels a dead entry that a later exit superseded, instead of sending it after the exit', async () => {
    let healthy = false;
    const hook = await receiver(() => (healthy ? undefined : { status: 500, body: 'down' }));
    const { sandbox, dir, env } = await setup(
      'sup',
      {
        'segments/high.yaml': HIGH,
        'destinations/hook.yaml': webhookYaml('hook', hook.url, [{ segment: 'high-score' }], {
          maxAttempts: 1,
          initialDelaySeconds: 0.1,
        }),
      },
      [60],
    );
    await evaluateAll(workspace, sandbox, T1);
    expect(await drain(workspace, sandbox, 'hook')).toMatchObject({ dead: 1 });
    healthy = true;
    await writeCrmData(dir, { persons: scoredPersons([10]) });
    await rosterOk(['source', 'run', 'crm', '--sandbox', sandbox], env);
    await evaluateAll(workspace, sandbox, T2);
    expect(await drain(workspace, sandbox, 'hook')).toMatchObject({ delivered: 1 });
    expect(await rosterOk(['destination', 'retry', 'hook', '--sandbox', sandbox], env)).toContain(
      '0 dead-lettered changes queued again',
    );
    expect((await outboxOf(workspace, sandbox, 'hook')).map((o) => [o.change, o.status])).toEqual([
      ['entered', 'cancelled'],
      ['exited', 'delivered'],
    ]);
    expect(emailsAt(hook, 'high-score')).toEqual([]);
  });

  it('a segment bound again while its removal exits are queued keeps its members at the destination', async () => {
    let healthy = true;
    const hook = await receiver(() => (healthy ? undefined : { status: 503, body: 'maintenance' }));
    const nobody = segmentYaml({
      name: 'nobody',
      subject: 'person',
      where: { attribute: 'score', op: 'gt', value: 1000 },
    });
    const files = (segments: string[]) => ({
      'segments/high.yaml': HIGH,
      'segments/nobody.yaml': nobody,
      'destinations/hook.yaml': webhookYaml(
        'hook',
        hook.url,
        segments.map((segment) => ({ segment })),
      ),
    });
    const { sandbox, dir, env } = await setup('rebind', files(['high-score']), [60, 70]);
    await evaluateAll(workspace, sandbox, T1);
    await drain(workspace, sandbox, 'hook');
    expect(emailsAt(hook, 'high-score')).toHaveLength(2);
    healthy = false;
    await writeConfig(dir, files(['nobody']));
    await rosterOk(['apply', dir, '--sandbox', sandbox, '--yes', '--no-evaluate'], env);
    expect(await drain(workspace, sandbox, 'hook')).toMatchObject({ removed: 2, delivered: 0 });
    await writeConfig(dir, files(['nobody', 'high-score']));
    await rosterOk(['apply', dir, '--sandbox', sandbox, '--yes', '--no-evaluate'], env);
    healthy = true;
    await drainUntilSettled(workspace, sandbox, 'hook');
    expect(emailsAt(hook, 'high-score')).toHaveLength(2);
    const { rows } = await workspace.pool.query(
      `select status, count(*)::int as n from roster_${sandbox}.activation_outbox where change = 'exited' group by 1`,
    );
    expect(rows).toEqual([{ status: 'cancelled', n: 2 }]);
  });

  it('delivers an entry and the exit that follows it in one drain, in that order', async () => {
    const hook = await receiver();
    const { sandbox, dir, env } = await setup(
      'both',
      {
        'segments/high.yaml': HIGH,
        'destinations/hook.yaml': webhookYaml('hook', hook.url, [{ segment: 'high-score' }]),
      },
      [60, 70],
    );
    await evaluateAll(workspace, sandbox, T1);
    await writeCrmData(dir, { persons: scoredPersons([10, 70]) });
    await rosterOk(['source', 'run', 'crm', '--sandbox', sandbox], env);
    await evaluateAll(workspace, sandbox, T2);
    expect(await drain(workspace, sandbox, 'hook')).toMatchObject({ status: 'drained', delivered: 3 });
    expect(emailsAt(hook, 'high-score')).toEqual(['p2@x.example']);
    const sent = hook.receipts.flatMap((r) => (JSON.parse(r.body) as { changes: { change: string }[] }).changes);
    expect(sent.map((c) => c.change)).toEqual(['entered', 'entered', 'exited']);
  });

  it('records a database error while reading a batch as a failed attempt, and delivers once it is fixed', async () => {
    const hook = await receiver();
    const { sandbox } = await setup(
      'dberr',
      {
        'segments/high.yaml': HIGH,
        'destinations/hook.yaml': webhookYaml('hook', hook.url, [{ segment: 'high-score' }]),
      },
      [60, 70],
    );
    await evaluateAll(workspace, sandbox, T1);
    const persons = `roster_${sandbox}.persons`;
    await workspace.pool.query(`alter table ${persons} rename column first_name to first_name_gone`);
    expect(await drain(workspace, sandbox, 'hook')).toMatchObject({ retrying: 2, delivered: 0, dead: 0 });
    const failed = await outboxOf(workspace, sandbox, 'hook');
    expect(failed.map((o) => [o.status, o.attempts])).toEqual([
      ['pending', 1],
      ['pending', 1],
    ]);
    expect(failed[0]!.lastError).toContain('first_name');
    expect(hook.receipts).toHaveLength(0);
    await workspace.pool.query(`alter table ${persons} rename column first_name_gone to first_name`);
    await drainUntilSettled(workspace, sandbox, 'hook');
    expect(emailsAt(hook, 'high-score')).toEqual(['p1@x.example', 'p2@x.example']);
  });

  it('a graceful stop lets the batch in flight land and claims no other', async () => {
    const finish = new AbortController();
    const hook = await receiver((n) => {
      if (n === 1) finish.abort(); // while the first batch is at the receiver
      return undefined;
    });
    const { sandbox } = await setup(
      'fin',
      {
        'segments/high.yaml': HIGH,
        'destinations/hook.yaml': stringify({
          apiVersion: 'roster/v1',
          kind: 'Destination',
          metadata: { name: 'hook' },
          spec: {
            type: 'webhook',
            webhook: { url: hook.url, secret: '{{ secret("HOOK_SECRET") }}', fields: ['email'], batchSize: 2 },
            rateLimit: { maxConcurrency: 1 },
            segments: [{ segment: 'high-score' }],
          },
        }),
      },
      [60, 70, 80, 90],
    );
    await evaluateAll(workspace, sandbox, T1);
    const result = await drainDestination({
      pool: workspace.pool,
      sandbox,
      destination: 'hook',
      environment: { env: { ...DELIVERY_ENV }, cwd: process.cwd(), log: () => {} },
      finish: finish.signal,
    });
    expect(result).toMatchObject({ status: 'drained', delivered: 2, batches: 1 });
    expect(hook.receipts).toHaveLength(1);
    const outbox = await outboxOf(workspace, sandbox, 'hook');
    expect(outbox.map((o) => [o.status, o.attempts]).sort()).toEqual([
      ['delivered', 1],
      ['delivered', 1],
      ['pending', 0],
      ['pending', 0],
    ]);
    // The two delivered are the ones the receiver got.
    expect(emailsAt(hook, 'high-score')).toEqual(
      outbox
        .filter((o) => o.status === 'delivered')
        .map((o) => o.email)
        .sort(),
    );
  });
});
