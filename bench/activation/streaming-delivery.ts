import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import { type DeliveryService, startDeliveryService } from '../../engine/activation/delivery-service';
import { createRosterServer } from '../../engine/server/roster-server';
import { startWebhookReceiver, type WebhookReceiver } from '../../engine/server/webhook-receiver';
import { type BenchResult, percentile } from '../measure';
import {
  activationEnv,
  applyProject,
  connectorEnvironment,
  failLoudly,
  HOOK_SECRET,
  rosterWithEnv,
} from './activation-sandbox';
import { loadStreamingPersons, type PostedEvents, postEventsOpenLoop, type StreamingLoad } from './post-events';

const SEGMENT = 'signed-up';

/** Persons from a CRM file, signups pushed over HTTP, a streaming segment, and a webhook activating it. */
function projectFiles(hookUrl: string): Record<string, string> {
  return {
    'sources.yaml': `apiVersion: roster/v1
kind: Source
metadata: { name: crm }
spec:
  type: file
  file: { baseDir: data }
  objects:
    - { name: people, entity: person, path: people.csv, key: id, fields: { email: email, firstName: first }, identities: { email: email } }
---
apiVersion: roster/v1
kind: Source
metadata: { name: site }
spec:
  type: http
  http: { token: '{{ secret("SITE_TOKEN") }}' }
  objects:
    - { name: events, entity: event, fields: { type: type, occurredAt: at }, identities: { email: email } }
---
apiVersion: roster/v1
kind: IdentityMapping
metadata: { name: ids }
spec:
  sources: [crm, site]
  person: { namespaces: [{ name: email, type: email }] }
`,
    'signed-up.yaml': `apiVersion: roster/v1
kind: Segment
metadata: { name: ${SEGMENT} }
spec:
  subject: person
  evaluation: streaming
  where:
    all:
      - { attribute: email, op: exists }
      - events: { type: signup.completed, within: 1d }
`,
    'live-hook.yaml': `apiVersion: roster/v1
kind: Destination
metadata: { name: live-hook }
spec:
  type: webhook
  webhook: { url: '${hookUrl}', secret: '{{ secret("HOOK_SECRET") }}' }
  segments: [{ segment: ${SEGMENT} }]
`,
  };
}

/** When each email's entry reached the receiver (the first receipt carrying it), epoch ms. */
function arrivals(receiver: WebhookReceiver): Map<string, number> {
  const at = new Map<string, number>();
  for (const receipt of receiver.receipts) {
    const payload = JSON.parse(receipt.body) as { changes: { change: string; fields?: { email?: string } | null }[] };
    for (const change of payload.changes) {
      const email = change.fields?.email;
      if (change.change === 'entered' && email && !at.has(email)) at.set(email, receipt.receivedAt);
    }
  }
  return at;
}

async function waitForMembers(receiver: WebhookReceiver, count: number, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (receiver.members(SEGMENT).length < count && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
}

/**
 * (c) Streaming end to end: signups of distinct, already loaded persons pushed to the HTTP source
 * (in process) at `load.eventsPerSecond`, open loop; each makes its person enter a streaming
 * segment, and `startDeliveryService` (as `roster run` runs it: NOTIFY wake-up, 2 s poll) delivers
 * the entry to a local webhook receiver. Latency is receipt time minus the start of the POST that
 * carried the signup. Every entry must arrive. Target: p99 under 1 s.
 */
export async function benchStreamingDelivery(
  pool: Pool,
  databaseUrl: string,
  target: { sandbox: string; dir: string; load: StreamingLoad },
): Promise<BenchResult[]> {
  const { sandbox, dir, load } = target;
  const persons = load.eventsPerSecond * load.seconds;
  const receiver = await startWebhookReceiver({ secret: HOOK_SECRET, maxReceipts: 1_000_000 });
  const env = activationEnv({ SITE_TOKEN: 'bench-site-token' });
  const errors: string[] = [];
  const server = createRosterServer({ pool, sandbox, env, log: () => {} });
  let service: DeliveryService | undefined;
  try {
    await applyProject(databaseUrl, { dir, sandbox, env }, projectFiles(receiver.url));
    await loadStreamingPersons(dir, persons);
    await rosterWithEnv(['source', 'run', 'crm', '--sandbox', sandbox], databaseUrl, { dir, env });
    const environment = connectorEnvironment(env, errors);
    service = await startDeliveryService({ url: databaseUrl, pool, sandbox, environment });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/sources/site/batches`;
    const posted = await postEventsOpenLoop(endpoint, 'bench-site-token', load);
    await waitForMembers(receiver, persons, 30_000);
    return report(receiver, { posted, persons, load, errors });
  } finally {
    await service?.stop();
    if (server.listening) await new Promise((resolve) => server.close(resolve));
    await receiver.close();
  }
}

function report(
  receiver: WebhookReceiver,
  run: {
    posted: PostedEvents;
    persons: number;
    load: StreamingLoad;
    errors: string[];
  },
): BenchResult[] {
  const { posted, persons, load } = run;
  const arrived = arrivals(receiver);
  const latencies = [...posted.startedAt].flatMap(([email, start]) => {
    const at = arrived.get(email);
    return at === undefined ? [] : [at - start];
  });
  latencies.sort((a, b) => a - b);
  failLoudly('(c) streaming delivery', [
    ...run.errors,
    ...(posted.failures === 0 ? [] : [`${posted.failures} pushes were not answered 200`]),
    ...(latencies.length === persons
      ? []
      : [`${latencies.length} of ${persons} entries reached the receiver within 30 s`]),
    ...(receiver.duplicates === 0 ? [] : [`the receiver got ${receiver.duplicates} duplicate changes`]),
  ]);
  const [p50, p99, max] = [percentile(latencies, 50), percentile(latencies, 99), latencies.at(-1)!];
  const notes = `${posted.requests} pushes of ${posted.perRequest} signups in ${posted.seconds.toFixed(1)} s; ${latencies.length}/${persons} entries arrived in ${receiver.receipts.length} webhook requests; p50 ${p50} ms, p99 ${p99} ms, max ${max} ms; push p99 ${posted.pushP99.toFixed(0)} ms`;
  process.stderr.write(`  (c) ${notes}\n`);
  const work = `activation (c) streaming: ${load.eventsPerSecond} signups/s for ${load.seconds} s over HTTP to webhook receipt`;
  return [
    { work: `${work}, p50`, roster: p50, unit: 'ms', target: 'report', pass: true, notes },
    { work: `${work}, p99`, roster: p99, unit: 'ms', target: '< 1000 ms', pass: p99 < 1000, notes },
    { work: `${work}, max`, roster: max, unit: 'ms', target: 'report', pass: true, notes },
  ];
}
