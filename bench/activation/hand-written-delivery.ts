import { createHmac } from 'node:crypto';
import * as http from 'node:http';
import type { Pool } from 'pg';

/** One outbox change with its person's email, as the hand-written delivery reads it. */
interface OutboxRow {
  id: string;
  subjectId: string;
  idempotencyKey: string;
  changedAt: Date;
  email: string | null;
}

/** Where and how the hand-written delivery sends: the same receiver, batch size and concurrency as Roster's. */
export interface HandWrittenTarget {
  schema: string;
  destination: string;
  segment: string;
  url: string;
  secret: string;
  batchSize: number;
  concurrency: number;
}

/**
 * The baseline of the webhook throughput benchmark: what an engineer would write to push a
 * segment's entries to a webhook once, without Roster. One query reads the changes and emails, the
 * batches go out as signed POSTs of the default payload (so the receiver does the same work) with
 * `concurrency` in flight on keep-alive sockets, and one UPDATE marks them delivered. No claim, no
 * per-batch recording, no retry, no order per subject: the cost Roster's guarantees are measured against.
 */
export async function deliverByHand(pool: Pool, target: HandWrittenTarget): Promise<number> {
  const s = target.schema;
  const { rows } = await pool.query<OutboxRow>(
    `select o.id, o.subject_id as "subjectId", o.idempotency_key as "idempotencyKey", o.created_at as "changedAt", p.email
     from ${s}.activation_outbox o join ${s}.persons p on p.id = o.subject_id
     where o.destination = $1 and o.segment = $2 and o.change = 'entered' order by o.id`,
    [target.destination, target.segment],
  );
  const batches: OutboxRow[][] = [];
  for (let i = 0; i < rows.length; i += target.batchSize) batches.push(rows.slice(i, i + target.batchSize));
  const agent = new http.Agent({ keepAlive: true, maxSockets: target.concurrency });
  try {
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < batches.length; index = next++) {
        await postBatch(agent, target, { batchId: `hand-${index}`, rows: batches[index]! });
      }
    };
    await Promise.all(Array.from({ length: target.concurrency }, worker));
  } finally {
    agent.destroy();
  }
  await pool.query(`update ${s}.activation_outbox set status = 'delivered', delivered_at = now() where id = any($1)`, [
    rows.map((row) => row.id),
  ]);
  return rows.length;
}

async function postBatch(
  agent: http.Agent,
  target: HandWrittenTarget,
  batch: { batchId: string; rows: OutboxRow[] },
): Promise<void> {
  const changes = batch.rows.map((row) => {
    const fields = { email: row.email };
    return {
      change: 'entered',
      subjectType: 'person',
      subjectId: Number(row.subjectId),
      idempotencyKey: row.idempotencyKey,
      changedAt: row.changedAt.toISOString(),
      fields,
      members: [{ personId: Number(row.subjectId), fields }],
    };
  });
  const payload = { destination: target.destination, segment: target.segment, batchId: batch.batchId, changes };
  const body = Buffer.from(JSON.stringify(payload));
  const signature = `sha256=${createHmac('sha256', target.secret).update(body).digest('hex')}`;
  const status = await post(agent, target.url, body, {
    'content-type': 'application/json',
    'x-roster-batch-id': batch.batchId,
    'x-roster-signature': signature,
  });
  if (status !== 200) throw new Error(`hand-written delivery: POST ${target.url} answered ${status}`);
}

function post(agent: http.Agent, url: string, body: Buffer, headers: http.OutgoingHttpHeaders): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: 'POST',
      agent,
      headers: { ...headers, 'content-length': body.length },
    });
    request.on('error', reject);
    request.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    });
    request.end(body);
  });
}
