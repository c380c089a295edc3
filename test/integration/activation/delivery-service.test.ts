import { afterAll, describe, expect, it } from 'vitest';
import { startDeliveryService } from '../../../engine/activation/delivery-service';
import { startWebhookReceiver, type WebhookReceiver } from '../../../engine/server/webhook-receiver';
import { testDatabaseUrl } from '../../support/test-database';
import { waitFor } from '../../support/wait-for';
import { rosterOk, segmentYaml, useSegmentWorkspace, writeConfig, writeCrmData } from '../segment/segment-sandbox';
import { DELIVERY_ENV, evaluateAll, scoredPersons, webhookYaml } from './delivery-kit';

const workspace = useSegmentWorkspace();
const receivers: WebhookReceiver[] = [];
afterAll(async () => {
  for (const r of receivers) await r.close();
});

const HIGH = segmentYaml({
  name: 'high-score',
  subject: 'person',
  where: { attribute: 'score', op: 'gte', value: 50 },
});

describe('the delivery service of roster run', () => {
  it('delivers on NOTIFY, and listens again after its connection is lost', async () => {
    const hook = await startWebhookReceiver({ secret: DELIVERY_ENV.HOOK_SECRET });
    receivers.push(hook);
    const { sandbox, dir } = await workspace.newSandbox('svc');
    await writeConfig(dir, {
      'segments/high.yaml': HIGH,
      'destinations/hook.yaml': webhookYaml('hook', hook.url, [{ segment: 'high-score' }]),
    });
    await writeCrmData(dir, { persons: scoredPersons([60, 70]) });
    const env = { ...workspace.env, ...DELIVERY_ENV };
    await rosterOk(['apply', dir, '--sandbox', sandbox, '--yes', '--no-evaluate'], env);
    await rosterOk(['source', 'run', 'crm', '--sandbox', sandbox], env);
    const logs: Record<string, unknown>[] = [];
    // The poll is an hour away: only a notification can make the service deliver within the test.
    const service = await startDeliveryService({
      url: await testDatabaseUrl(),
      pool: workspace.pool,
      sandbox,
      environment: { env: { ...DELIVERY_ENV }, cwd: process.cwd(), log: (entry) => logs.push(entry) },
      pollIntervalMs: 3_600_000,
    });
    const received = () => hook.members('high-score').length;
    try {
      await evaluateAll(workspace, sandbox, new Date('2026-06-01T00:00:00Z'));
      await waitFor(() => (received() === 2 ? true : undefined), 'the first entries at the receiver');

      const listener = `roster-delivery ${sandbox}`;
      const { rows: terminated } = await workspace.pool.query(
        'select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = $1',
        [listener],
      );
      expect(terminated).toEqual([{ ok: true }]);
      await waitFor(async () => {
        const { rows } = await workspace.pool.query(
          'select count(*)::int as n from pg_stat_activity where application_name = $1 and query = $2',
          [listener, `listen "roster_outbox_${sandbox}"`],
        );
        return rows[0].n === 1 ? true : undefined;
      }, 'the listener to connect again');

      await writeCrmData(dir, { persons: scoredPersons([60, 70, 80]) });
      await rosterOk(['source', 'run', 'crm', '--sandbox', sandbox], env);
      await evaluateAll(workspace, sandbox, new Date('2026-06-02T00:00:00Z'));
      await waitFor(() => (received() === 3 ? true : undefined), 'the entry evaluated after the reconnection');
      expect(hook.duplicates).toBe(0);
      expect(logs.map((l) => l.msg)).toEqual(
        expect.arrayContaining(['delivery listener lost; reconnecting', 'delivery listener reconnected']),
      );
    } finally {
      await service.stop();
    }
  });
});
