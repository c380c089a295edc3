import { promises as fs } from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Pool } from 'pg';
import { sandboxSchema } from '../engine/runtime/sandbox-schema';
import { createRosterServer } from '../engine/server/roster-server';
import { type BenchResult, percentile, rosterQuietly } from './measure';

const TOKEN = 'bench-token';

/** A CRM of persons (every other one a VP), web events pushed over HTTP, and one streaming segment. */
const CONFIG = `apiVersion: roster/v1
kind: Source
metadata: { name: crm }
spec:
  type: file
  file: { baseDir: data }
  objects:
    - { name: people, entity: person, path: people.csv, key: id, fields: { email: email, jobTitle: title }, identities: { email: email } }
---
apiVersion: roster/v1
kind: Source
metadata: { name: site }
spec:
  type: http
  http: { token: '{{ secret("SITE_TOKEN") }}', maxBatchRecords: 5000 }
  objects:
    - { name: events, entity: event, fields: { type: type, occurredAt: at }, identities: { email: email } }
---
apiVersion: roster/v1
kind: IdentityMapping
metadata: { name: ids }
spec:
  sources: [crm, site]
  person: { namespaces: [{ name: email, type: email }] }
---
apiVersion: roster/v1
kind: Segment
metadata: { name: engaged }
spec:
  subject: person
  evaluation: streaming
  where:
    all:
      - { attribute: jobTitle, op: contains, value: vp }
      - events: { type: email.opened, within: 7d, count: { gte: 2 } }
`;

/**
 * (c) Streaming: events pushed through the HTTP source at `eventsPerSecond` for `seconds`, in
 * batches every `intervalMs` without waiting for earlier requests (open loop: a server that falls
 * behind shows it as latency). The push endpoint answers after the batch is committed, identities
 * stitched and the streaming segments re-evaluated for the touched persons, so request-to-response
 * time is request-to-committed-membership-change. Target: p99 < 50 ms.
 */
export async function benchStreaming(
  url: string,
  options: { persons: number; eventsPerSecond: number; seconds: number; intervalMs: number },
): Promise<BenchResult[]> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-bench-streaming-'));
  const pool = new Pool({ connectionString: url, max: 10 });
  const sandbox = `bench_stream_${Date.now()}`;
  const server = createRosterServer({ pool, sandbox, env: { SITE_TOKEN: TOKEN }, log: () => {} });
  try {
    await fs.mkdir(path.join(dir, 'data'));
    const people = ['id,email,title'];
    for (let i = 1; i <= options.persons; i++)
      people.push(`${i},p${i}@bench.example,${i % 2 ? 'VP Sales' : 'Analyst'}`);
    await fs.writeFile(path.join(dir, 'data', 'people.csv'), `${people.join('\n')}\n`);
    await fs.writeFile(path.join(dir, 'streaming.yaml'), CONFIG);
    await rosterQuietly(['apply', dir, '--sandbox', sandbox, '--yes'], url, dir);
    await rosterQuietly(['source', 'run', 'crm', '--sandbox', sandbox], url, dir);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/sources/site/batches`;

    const perBatch = Math.max(1, Math.round((options.eventsPerSecond * options.intervalMs) / 1000));
    const batches = Math.round((options.seconds * 1000) / options.intervalMs);
    const latencies: number[] = [];
    let failures = 0;
    let sequence = 0;
    const send = async (): Promise<void> => {
      const records = Array.from({ length: perBatch }, () => {
        sequence++;
        // Engagement concentrates on a few active people (one in 20): they reach the segment's two opens.
        const person = 1 + ((sequence * 7919) % Math.max(1, Math.floor(options.persons / 20))) * 20;
        return { type: 'email.opened', email: `p${person}@bench.example`, at: new Date().toISOString(), n: sequence };
      });
      const start = process.hrtime.bigint();
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ records }),
      });
      await response.arrayBuffer();
      if (response.status !== 200) failures++;
      latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
    };
    const started = Date.now();
    const inFlight: Promise<void>[] = [];
    for (let b = 0; b < batches; b++) {
      const due = started + b * options.intervalMs;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      inFlight.push(send());
    }
    await Promise.all(inFlight);
    const elapsed = (Date.now() - started) / 1000;
    const { rows } = await pool.query<{ n: number }>(
      `select count(*)::int as n from ${sandboxSchema(sandbox)}.segment_membership_history h
       join ${sandboxSchema(sandbox)}.segment_runs r using (run_id) where r.mode = 'streaming'`,
    );
    latencies.sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    const notes = `${batches} batches of ${perBatch} events in ${elapsed.toFixed(1)} s (${Math.round((batches * perBatch) / elapsed)} events/s), ${rows[0]!.n} streaming membership changes, ${failures} failed requests`;
    process.stderr.write(`  ${notes}; p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms\n`);
    return [
      {
        work: `(c) streaming: ${options.eventsPerSecond} events/s for ${options.seconds} s over HTTP, p50 request to committed membership`,
        roster: p50,
        unit: 'ms',
        target: 'report',
        pass: failures === 0,
        notes,
      },
      {
        work: `(c) streaming: ${options.eventsPerSecond} events/s for ${options.seconds} s over HTTP, p99 request to committed membership`,
        roster: p99,
        unit: 'ms',
        target: '< 50 ms',
        pass: p99 < 50 && failures === 0,
        notes,
      },
    ];
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await pool.query(`drop schema if exists ${sandboxSchema(sandbox)} cascade`).catch(() => undefined);
    await pool.end();
    await fs.rm(dir, { recursive: true, force: true });
  }
}
