import { promises as fs } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import { createRosterServer } from '../server/roster-server';

export interface StreamedEvents {
  batches: number;
  events: number;
  /** Events stored (new or already known: a second demo run posts the same events again). */
  accepted: number;
  quarantined: number;
}

/**
 * Posts the example's generated web events to its `web-events` http source, as the site's tag
 * manager would: through `roster run`'s HTTP endpoint (started here on loopback), in batches of
 * `batchSize`. Each answer comes after the batch is committed and its streaming segments evaluated.
 */
export async function streamDemoEvents(
  target: { pool: Pool; sandbox: string; env: NodeJS.ProcessEnv; file: string },
  batchSize = 500,
): Promise<StreamedEvents> {
  const lines = (await fs.readFile(target.file, 'utf8')).split('\n').filter((line) => line.trim() !== '');
  const server = createRosterServer({ pool: target.pool, sandbox: target.sandbox, env: target.env, log: () => {} });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const totals: StreamedEvents = { batches: 0, events: 0, accepted: 0, quarantined: 0 };
  try {
    for (let i = 0; i < lines.length; i += batchSize) {
      const records = lines.slice(i, i + batchSize).map((line) => JSON.parse(line) as unknown);
      const response = await fetch(`http://127.0.0.1:${port}/v1/sources/web-events/batches`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${target.env.ACME_EVENTS_TOKEN}` },
        body: JSON.stringify({ records }),
      });
      const answer = (await response.json()) as { accepted?: number; quarantined?: number; message?: string };
      if (!response.ok) throw new Error(`the web-events endpoint answered ${response.status}: ${answer.message ?? ''}`);
      totals.batches++;
      totals.events += records.length;
      totals.accepted += answer.accepted ?? 0;
      totals.quarantined += answer.quarantined ?? 0;
    }
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return totals;
}
