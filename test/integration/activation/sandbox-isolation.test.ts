import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DrainResult } from '../../../engine/activation/drain-destination';
import { startWebhookReceiver, type WebhookReceiver } from '../../../engine/server/webhook-receiver';
import type { Row } from '../segment/segment-sandbox';
import {
  fileDestinationYaml,
  memberLabels,
  rosterOk,
  segmentYaml,
  useSegmentWorkspace,
  writeConfig,
  writeCrmData,
} from '../segment/segment-sandbox';
import { DELIVERY_ENV, drain, evaluateAll, webhookYaml } from './delivery-kit';

const workspace = useSegmentWorkspace();
const T1 = new Date('2026-06-01T00:00:00Z');

const HIGH = segmentYaml({
  name: 'high-score',
  subject: 'person',
  where: { attribute: 'score', op: 'gte', value: 50 },
});

/**
 * Persons of one sandbox: the same scores (so both sandboxes number their history and outbox rows
 * alike, as promoted copies of one project do) under emails of the sandbox's own domain.
 */
function persons(domain: string): Row[] {
  return [60, 70, 10, 80].map((score, i) => ({ id: `P${i + 1}`, email: `p${i + 1}@${domain}`, score }));
}

/** The emails of every manifest's latest export under `root`, one sorted list per manifest. */
async function latestExports(root: string): Promise<string[][]> {
  const entries = await fs.readdir(root, { recursive: true });
  const manifests = entries.filter((entry) => path.basename(entry) === 'manifest.json');
  const exports: string[][] = [];
  for (const manifest of manifests) {
    const directory = path.join(root, path.dirname(manifest));
    const { latest } = JSON.parse(await fs.readFile(path.join(directory, 'manifest.json'), 'utf8'));
    const [header, ...rows] = (await fs.readFile(path.join(directory, latest), 'utf8')).trim().split(/\r?\n/);
    const column = header!.split(',').indexOf('email');
    exports.push(rows.map((row) => row.split(',')[column]!.replace(/"/g, '')).sort());
  }
  return exports.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** Every change the receiver got, with its batch's headers. */
function receivedChanges(receiver: WebhookReceiver) {
  return receiver.receipts.flatMap((receipt) => {
    const body = JSON.parse(receipt.body) as { changes: { idempotencyKey: string; fields: { email: string } }[] };
    return body.changes.map((change) => ({
      batchId: receipt.batchId,
      idempotencyHeader: receipt.headers['idempotency-key'],
      key: change.idempotencyKey,
      email: change.fields.email,
    }));
  });
}

describe('one project applied to two sandboxes', () => {
  let receiver: WebhookReceiver;
  let exportsDir: string;
  const sandboxes: { sandbox: string; domain: string; file?: DrainResult; hook?: DrainResult }[] = [];

  beforeAll(async () => {
    receiver = await startWebhookReceiver({ secret: DELIVERY_ENV.HOOK_SECRET });
    exportsDir = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-sandbox-exports-'));
    // The same resource files in both: one directory for the exports, one webhook receiver.
    const files = {
      'segments/high.yaml': HIGH,
      'destinations/exports.yaml': fileDestinationYaml('exports', ['high-score'], exportsDir),
      'destinations/hook.yaml': webhookYaml('hook', receiver.url, [{ segment: 'high-score' }]),
    };
    for (const [prefix, domain] of [
      ['dev', 'dev.example'],
      ['prod', 'prod.example'],
    ] as const) {
      const { sandbox, dir } = await workspace.newSandbox(prefix);
      await writeConfig(dir, files);
      await writeCrmData(dir, { persons: persons(domain) });
      const env = { ...workspace.env, ...DELIVERY_ENV };
      await rosterOk(['apply', dir, '--sandbox', sandbox, '--yes', '--no-evaluate'], env);
      await rosterOk(['source', 'run', 'crm', '--sandbox', sandbox], env);
      await evaluateAll(workspace, sandbox, T1);
      sandboxes.push({ sandbox, domain });
    }
    // Delivered one sandbox after the other, as `roster destination activate` in each would.
    for (const entry of sandboxes) {
      entry.file = await drain(workspace, entry.sandbox, 'exports');
      entry.hook = await drain(workspace, entry.sandbox, 'hook');
    }
  }, 120_000);

  afterAll(async () => {
    await receiver?.close();
    if (exportsDir) await fs.rm(exportsDir, { recursive: true, force: true });
  });

  it('writes the full membership of each sandbox into the shared export directory', async () => {
    const members = await Promise.all(sandboxes.map((s) => memberLabels(workspace.pool, s.sandbox, 'high-score')));
    expect(members).toEqual([
      ['p1@dev.example', 'p2@dev.example', 'p4@dev.example'],
      ['p1@prod.example', 'p2@prod.example', 'p4@prod.example'],
    ]);
    for (const entry of sandboxes) expect(entry.file).toMatchObject({ status: 'drained', delivered: 3, dead: 0 });
    expect(await latestExports(exportsDir)).toEqual(members);
  });

  it('posts the changes of both sandboxes to the shared receiver under distinct keys', async () => {
    for (const entry of sandboxes) expect(entry.hook).toMatchObject({ status: 'drained', delivered: 3, dead: 0 });
    expect(receiver.duplicates).toBe(0);
    const changes = receivedChanges(receiver);
    expect(changes.map((c) => c.email).sort()).toEqual([
      'p1@dev.example',
      'p1@prod.example',
      'p2@dev.example',
      'p2@prod.example',
      'p4@dev.example',
      'p4@prod.example',
    ]);
    expect(new Set(changes.map((c) => c.key)).size).toBe(6);
    const batches = new Set(changes.map((c) => c.batchId));
    expect(batches.size).toBe(receiver.receipts.length);
    expect(receiver.receipts.map((r) => r.headers['idempotency-key'])).toEqual(receiver.receipts.map((r) => r.batchId));
    expect(changes.every((c) => c.key.startsWith(`${sandboxOfEmail(sandboxes, c.email)}:hook:`))).toBe(true);
  });
});

function sandboxOfEmail(sandboxes: readonly { sandbox: string; domain: string }[], email: string): string {
  return sandboxes.find((s) => email.endsWith(`@${s.domain}`))!.sandbox;
}
