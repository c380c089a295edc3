import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ActivationChange,
  ActivationMember,
  DeliveryBatch,
  DeliveryContext,
  DeliveryError,
  DestinationConnector,
} from '../../../engine/activation/connector';
import { createFileConnector } from '../../../engine/activation/connectors/file-connector';
import type { DestinationSpec, FileTarget } from '../../../schemas/generated/resource-types';
import { readCsvRecords } from '../identity/parse-csv';

let work: string;

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-file-destination-'));
});

afterAll(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

/** A file destination writing into a fresh directory (relative, resolved against `work`). */
function fileDestination(name: string, file: Omit<FileTarget, 'directory'>): DestinationConnector {
  const spec: DestinationSpec = { type: 'file', file: { directory: `exports/${name}`, ...file }, segments: [] };
  return createFileConnector({ sandbox: 'test', name, spec }, { env: {}, cwd: work, log: () => {} });
}

/** The worker's side: current members served in pages, and a count of the snapshot reads. */
function deliveryContext(members: ActivationMember[], pageSize = 2): DeliveryContext & { reads: number } {
  const context = {
    reads: 0,
    async *currentMembers() {
      context.reads++;
      for (let i = 0; i < members.length; i += pageSize) yield members.slice(i, i + pageSize);
    },
    signal: new AbortController().signal,
    log: () => {},
  };
  return context;
}

function batch(batchId: string, changes: ActivationChange[] = []): DeliveryBatch {
  return { destination: 'files', segment: 'hot-leads', binding: { segment: 'hot-leads' }, batchId, changes };
}

const member = (personId: number, fields: ActivationMember['fields']): ActivationMember => ({ personId, fields });

function change(
  subjectType: 'person' | 'account',
  subjectId: number,
  changed: 'entered' | 'exited',
  members: ActivationMember[],
): ActivationChange {
  return {
    outboxId: subjectId,
    idempotencyKey: `files:${subjectId}`,
    change: changed,
    subjectType,
    subjectId,
    changedAt: '2026-03-01T10:00:00.000Z',
    members,
  };
}

const segmentDir = (name: string) => path.join(work, 'exports', name, 'test', 'hot-leads');

async function readManifest(name: string) {
  return JSON.parse(await fs.readFile(path.join(segmentDir(name), 'manifest.json'), 'utf8'));
}

async function dataFiles(name: string): Promise<string[]> {
  return (await fs.readdir(segmentDir(name))).filter((f) => f !== 'manifest.json').sort();
}

describe('a file destination in snapshot mode', () => {
  const tricky = [
    member(1, { email: 'ada@acme.example', 'account.name': 'Acme, Inc.' }),
    member(2, { email: 'bob@acme.example', 'account.name': 'The "Best" Co' }),
    member(3, { email: '=HYPERLINK("http://evil.example","x")', 'account.name': 'Line\nbreak' }),
    member(4, { email: '+1 555 0100', 'account.name': '-2+3' }),
    member(5, { email: '@SUM(A1)', 'account.name': '\tTabbed' }),
    member(6, { email: null, 'account.name': 'Plain' }),
  ];

  it('writes the full current membership as CSV with RFC 4180 quoting and formulas defused', async () => {
    const connector = fileDestination('snap-csv', { fields: ['email', 'account.name'] });
    const context = deliveryContext(tricky);
    expect(await connector.deliver(batch('b-1', [change('person', 9, 'entered', [])]), context)).toEqual({
      unmatched: [],
    });
    const [file] = await dataFiles('snap-csv');
    expect(file).toMatch(/^hot-leads-\d{8}T\d{6}Z-[0-9a-f]{12}\.csv$/);
    const text = await fs.readFile(path.join(segmentDir('snap-csv'), file!), 'utf8');
    expect(text.split('\r\n')[0]).toBe('personId,email,account.name');
    expect(text).toContain('1,ada@acme.example,"Acme, Inc."\r\n');
    expect(text).toContain('2,bob@acme.example,"The ""Best"" Co"\r\n');
    expect(await readCsvRecords(path.join(segmentDir('snap-csv'), file!))).toEqual([
      { personId: '1', email: 'ada@acme.example', 'account.name': 'Acme, Inc.' },
      { personId: '2', email: 'bob@acme.example', 'account.name': 'The "Best" Co' },
      { personId: '3', email: `'=HYPERLINK("http://evil.example","x")`, 'account.name': 'Line\nbreak' },
      { personId: '4', email: "'+1 555 0100", 'account.name': "'-2+3" },
      { personId: '5', email: "'@SUM(A1)", 'account.name': "'\tTabbed" },
      { personId: '6', email: '', 'account.name': 'Plain' },
    ]);
  });

  it('writes NDJSON objects keyed by personId and the fields as written, values unaltered', async () => {
    const connector = fileDestination('snap-ndjson', { format: 'ndjson', fields: ['email', 'account.name'] });
    await connector.deliver(batch('b-1'), deliveryContext(tricky));
    const [file] = await dataFiles('snap-ndjson');
    expect(file).toMatch(/^hot-leads-\d{8}T\d{6}Z-[0-9a-f]{12}\.ndjson$/);
    const lines = (await fs.readFile(path.join(segmentDir('snap-ndjson'), file!), 'utf8')).trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual(
      tricky.map((m) => ({ personId: m.personId, email: m.fields.email, 'account.name': m.fields['account.name'] })),
    );
  });

  it('lists each file in the manifest with its rows and SHA-256, newest last', async () => {
    const connector = fileDestination('manifest', {});
    await connector.deliver(batch('b-1'), deliveryContext(tricky.slice(0, 3)));
    await connector.deliver(batch('b-2'), deliveryContext(tricky.slice(0, 5)));
    const manifest = await readManifest('manifest');
    expect(manifest.files.map((f: { batchId: string; rows: number }) => [f.batchId, f.rows])).toEqual([
      ['b-1', 3],
      ['b-2', 5],
    ]);
    expect(manifest.latest).toBe(manifest.files[1].file);
    expect(manifest.files.map((f: { file: string }) => f.file).sort()).toEqual(await dataFiles('manifest'));
    for (const entry of manifest.files) {
      const bytes = await fs.readFile(path.join(segmentDir('manifest'), entry.file));
      expect(entry).toMatchObject({
        mode: 'snapshot',
        format: 'csv',
        sha256: createHash('sha256').update(bytes).digest('hex'),
      });
      expect(new Date(entry.writtenAt).toISOString()).toBe(entry.writtenAt);
    }
  });

  it('writes nothing again for a batch the manifest already lists', async () => {
    const connector = fileDestination('replay', {});
    await connector.deliver(batch('b-1'), deliveryContext(tricky));
    const before = await readManifest('replay');
    const context = deliveryContext([...tricky, member(7, { email: 'new@acme.example' })]);
    expect(await connector.deliver(batch('b-1'), context)).toEqual({ unmatched: [] });
    expect(context.reads).toBe(0);
    expect(await readManifest('replay')).toEqual(before);
    expect(await dataFiles('replay')).toEqual([before.files[0].file]);
  });

  it('removes the temporary files an earlier crash left', async () => {
    const connector = fileDestination('crash-tmp', {});
    await fs.mkdir(segmentDir('crash-tmp'), { recursive: true });
    await fs.writeFile(path.join(segmentDir('crash-tmp'), '.hot-leads-20260101T000000Z-0123456789ab.csv.tmp'), 'half');
    await fs.writeFile(path.join(segmentDir('crash-tmp'), '.manifest.json.tmp'), '{"fil');
    await connector.deliver(batch('b-1'), deliveryContext(tricky.slice(0, 2)));
    const manifest = await readManifest('crash-tmp');
    expect(await fs.readdir(segmentDir('crash-tmp'))).toEqual(['manifest.json', manifest.latest].sort());
    expect(manifest.files).toMatchObject([{ batchId: 'b-1', rows: 2 }]);
  });

  it('replaces a file of the batch that a crash left unlisted in the manifest', async () => {
    const connector = fileDestination('crash-rename', {});
    await fs.mkdir(segmentDir('crash-rename'), { recursive: true });
    // b-1 was renamed into place a minute ago, then the process died before the manifest listed it.
    const hash = createHash('sha256').update('b-1').digest('hex').slice(0, 12);
    const orphan = `hot-leads-20260101T000000Z-${hash}.csv`;
    await fs.writeFile(path.join(segmentDir('crash-rename'), orphan), 'personId,email\r\n1,old@acme.example\r\n');
    await connector.deliver(batch('b-1'), deliveryContext(tricky.slice(0, 2)));
    const manifest = await readManifest('crash-rename');
    expect(manifest.files).toMatchObject([{ batchId: 'b-1', rows: 2 }]);
    expect(manifest.latest).not.toBe(orphan);
    expect(await dataFiles('crash-rename')).toEqual([manifest.latest]);
    expect(await readCsvRecords(path.join(segmentDir('crash-rename'), manifest.latest))).toHaveLength(2);
  });
});

describe('a file destination in incremental mode', () => {
  const changes = [
    change('account', 100, 'entered', [
      member(11, { email: 'cfo@globex.example', jobTitle: 'CFO' }),
      member(12, { email: 'cto@globex.example', jobTitle: '=1+1' }),
    ]),
    change('account', 200, 'exited', [member(21, { email: 'it@initech.example', jobTitle: null })]),
    change('account', 300, 'exited', []),
  ];

  it('writes one CSV line per member of each change, with the change columns first', async () => {
    const connector = fileDestination('changes-csv', { mode: 'incremental', fields: ['email', 'jobTitle'] });
    const context = deliveryContext([]);
    await connector.deliver(batch('b-9', changes), context);
    expect(context.reads).toBe(0);
    const [file] = await dataFiles('changes-csv');
    expect(file).toMatch(/^hot-leads-changes-\d{8}T\d{6}Z-[0-9a-f]{12}\.csv$/);
    const text = await fs.readFile(path.join(segmentDir('changes-csv'), file!), 'utf8');
    expect(text.split('\r\n')[0]).toBe('change,subjectType,subjectId,changedAt,idempotencyKey,personId,email,jobTitle');
    const common = { subjectType: 'account', changedAt: '2026-03-01T10:00:00.000Z' };
    expect(await readCsvRecords(path.join(segmentDir('changes-csv'), file!))).toEqual([
      {
        ...common,
        change: 'entered',
        subjectId: '100',
        idempotencyKey: 'files:100',
        personId: '11',
        email: 'cfo@globex.example',
        jobTitle: 'CFO',
      },
      {
        ...common,
        change: 'entered',
        subjectId: '100',
        idempotencyKey: 'files:100',
        personId: '12',
        email: 'cto@globex.example',
        jobTitle: "'=1+1",
      },
      {
        ...common,
        change: 'exited',
        subjectId: '200',
        idempotencyKey: 'files:200',
        personId: '21',
        email: 'it@initech.example',
        jobTitle: '',
      },
      // An account without activated persons still leaves a trace of its exit.
      {
        ...common,
        change: 'exited',
        subjectId: '300',
        idempotencyKey: 'files:300',
        personId: '',
        email: '',
        jobTitle: '',
      },
    ]);
    expect((await readManifest('changes-csv')).files).toMatchObject([
      { file, mode: 'incremental', rows: 4, batchId: 'b-9' },
    ]);
  });

  it('writes NDJSON change objects', async () => {
    const connector = fileDestination('changes-ndjson', { mode: 'incremental', format: 'ndjson' });
    await connector.deliver(batch('b-9', changes.slice(0, 1)), deliveryContext([]));
    const [file] = await dataFiles('changes-ndjson');
    const lines = (await fs.readFile(path.join(segmentDir('changes-ndjson'), file!), 'utf8')).trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual(
      [11, 12].map((personId, i) => ({
        change: 'entered',
        subjectType: 'account',
        subjectId: 100,
        changedAt: '2026-03-01T10:00:00.000Z',
        idempotencyKey: 'files:100',
        personId,
        email: ['cfo@globex.example', 'cto@globex.example'][i],
      })),
    );
  });
});

describe('file system failures', () => {
  it('are not retried when the directory is a file, and name the path and what to do', async () => {
    await fs.mkdir(path.join(work, 'exports'), { recursive: true });
    await fs.writeFile(path.join(work, 'exports', 'blocked'), 'not a directory');
    const connector = fileDestination('blocked', {});
    const error = (await connector.deliver(batch('b-1'), deliveryContext([])).catch((e) => e)) as DeliveryError;
    expect(error.name).toBe('DeliveryError');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(path.join(work, 'exports', 'blocked'));
    expect(error.message).toMatch(/ENOTDIR\): .*point file\.directory at a directory/);
  });
});
