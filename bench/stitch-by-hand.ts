import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { CONTACT_HEADER, LEAD_HEADER } from './generate-company-csv';

/**
 * The hand-written baseline of the stitch benchmark, what a competent engineer would write for
 * these two files: COPY both CSVs into numbered tables, normalise their identities in SQL, read
 * the groups of records sharing a value (2 to 50 holders; more is junk), unite them with a
 * union-find in Node, and COPY each record's person back. Returns the number of persons.
 * No merge protection or priorities: the generated company needs none to come out right.
 */
export async function stitchByHand(pool: Pool, files: { contacts: string; leads: string }): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const records = await loadNumbered(client, files);
    const { rows } = await client.query<{ members: number[] }>(
      `select array_agg(rn) as members from hand_identities group by namespace, value having count(*) between 2 and 50`,
    );
    const parent = new Int32Array(records);
    for (let i = 0; i < records; i++) parent[i] = i;
    const find = (x: number): number => {
      while (parent[x] !== x) {
        parent[x] = parent[parent[x]!]!;
        x = parent[x]!;
      }
      return x;
    };
    for (const { members } of rows) {
      const root = find(members[0]!);
      for (const member of members) parent[find(member)] = root;
    }
    let persons = 0;
    const lines: string[] = [];
    for (let i = 0; i < records; i++) {
      if (find(i) === i) persons++;
      lines.push(`${i}\t${parent[i]}\n`);
    }
    await client.query('create temp table hand_person (rn int primary key, person int not null) on commit drop');
    const stream = client.query(copyFrom('copy hand_person from stdin'));
    await new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
      stream.end(lines.join(''));
    });
    await client.query('commit');
    return persons;
  } finally {
    client.release();
  }
}

/** COPYs both files; records are numbered 0.. (contacts first) and their identities normalised into `hand_identities`. */
async function loadNumbered(client: PoolClient, files: { contacts: string; leads: string }): Promise<number> {
  const columns = (header: string) => header.split(',').map((c) => `${c} text`);
  await client.query(
    `create temp table hand_contacts (rn serial, ${columns(CONTACT_HEADER).join(', ')}) on commit drop`,
  );
  await client.query(`create temp table hand_leads (rn serial, ${columns(LEAD_HEADER).join(', ')}) on commit drop`);
  await pipeline(
    createReadStream(files.contacts),
    client.query(copyFrom(`copy hand_contacts (${CONTACT_HEADER}) from stdin (format csv, header true)`)),
  );
  await pipeline(
    createReadStream(files.leads),
    client.query(copyFrom(`copy hand_leads (${LEAD_HEADER}) from stdin (format csv, header true)`)),
  );
  const { rows } = await client.query<{ c: number; l: number }>(
    'select (select count(*)::int from hand_contacts) as c, (select count(*)::int from hand_leads) as l',
  );
  const contacts = rows[0]!.c;
  await client.query(
    `create temp table hand_identities on commit drop as
     select c.rn - 1 as rn, x.namespace, x.value from hand_contacts c cross join lateral (values
       ('crmContactId', trim(c.id)), ('email', lower(trim(c.email))), ('phone', regexp_replace(c.phone, '\\D', '', 'g'))) x(namespace, value)
     where x.value <> ''
     union all
     select l.rn - 1 + $1, x.namespace, x.value from hand_leads l cross join lateral (values
       ('marketoLeadId', trim(l.id)), ('email', lower(trim(l.email))), ('crmContactId', trim(l.crm_contact_id)),
       ('phone', regexp_replace(l.phone, '\\D', '', 'g'))) x(namespace, value)
     where x.value <> ''`,
    [contacts],
  );
  return contacts + rows[0]!.l;
}
