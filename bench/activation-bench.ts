import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Pool } from 'pg';
import { startWebhookReceiver, type WebhookReceiver } from '../engine/server/webhook-receiver';
import type { MarketoServer } from '../test/support/marketo/marketo-server';
import { dropSandboxes, HOOK_SECRET } from './activation/activation-sandbox';
import { prepareBulkAudience } from './activation/bulk-audience';
import { benchMarketoPacing, marketoLimits, startBenchMarketo } from './activation/marketo-pacing';
import { benchStreamingDelivery } from './activation/streaming-delivery';
import { benchWebhookThroughput } from './activation/webhook-throughput';
import type { BenchResult } from './measure';

/**
 * Activation at the scale (scale 1: 100,000 members; Marketo's real 100 calls / 20 s, so
 * (b) alone takes about 2 minutes): (a) webhook throughput of `drainDestination` against
 * hand-written delivery, (b) how close the Marketo static-list connector runs to the instance's
 * call limit, (c) streaming end to end, HTTP push to webhook receipt through `startDeliveryService`.
 * Every run verifies what the receivers hold and throws when a figure would not mean what it says.
 */
export async function benchActivation(databaseUrl: string, scale: number): Promise<BenchResult[]> {
  const pool = new Pool({ connectionString: databaseUrl, max: 16 });
  const stamp = Date.now();
  const sandboxes = [`bench_act_${stamp}`, `bench_act_${stamp}_s`];
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-bench-activation-'));
  try {
    const results = await benchBulkDelivery(pool, databaseUrl, {
      sandbox: sandboxes[0]!,
      dir: path.join(dir, 'bulk'),
      members: Math.round(100_000 * scale),
      scale,
    });
    results.push(
      ...(await benchStreamingDelivery(pool, databaseUrl, {
        sandbox: sandboxes[1]!,
        dir: path.join(dir, 'streaming'),
        load: { eventsPerSecond: 200, seconds: Math.max(10, Math.round(30 * scale)), intervalMs: 50 },
      })),
    );
    return results;
  } finally {
    await dropSandboxes(pool, sandboxes);
    await pool.end();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** (a) and (b): one audience of `members` persons, bound to a webhook and to a Marketo static list. */
async function benchBulkDelivery(
  pool: Pool,
  databaseUrl: string,
  target: { sandbox: string; dir: string; members: number; scale: number },
): Promise<BenchResult[]> {
  const { sandbox, members } = target;
  const limits = marketoLimits(target.scale);
  const opened: { close(): Promise<void> }[] = [];
  try {
    const receiver = () => startWebhookReceiver({ secret: HOOK_SECRET, maxReceipts: 100_000 });
    const roster: WebhookReceiver = await receiver();
    const hand: WebhookReceiver = await receiver();
    const marketo: MarketoServer = await startBenchMarketo(members, limits);
    opened.push(roster, hand, marketo);
    const env = await prepareBulkAudience(pool, databaseUrl, {
      sandbox,
      dir: target.dir,
      members,
      targets: {
        hookUrl: roster.url,
        marketo: { ...marketo, callsPerWindow: limits.callsPerWindow },
      },
    });
    const webhook = await benchWebhookThroughput(pool, { sandbox, env, members }, { roster, hand });
    return [webhook, ...(await benchMarketoPacing(pool, { sandbox, env, members, limits }, marketo))];
  } finally {
    for (const server of opened) await server.close();
  }
}
