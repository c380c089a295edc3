import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateAcmeData } from '../../engine/demo/acme-data/generate-acme-data';
import { startWebhookReceiver, type WebhookReceiver } from '../../engine/server/webhook-receiver';
import { type MarketoServer, startMarketoServer } from './marketo/marketo-server';
import { ROOT, roster, rosterAsync } from './run-roster';

/** The example project applied and run in a sandbox, with the local vendors it delivers to. */
export interface AcmeSandbox {
  dir: string;
  env: NodeJS.ProcessEnv;
  marketo: MarketoServer;
  receiver: WebhookReceiver;
  /** While true, the sales-alerts receiver answers 422 (a permanent failure: changes are dead-lettered). */
  refuse: { value: boolean };
  close(): Promise<void>;
}

const SECRETS = {
  MARKETO_CLIENT_SECRET: 'console-mkto-secret',
  SALES_WEBHOOK_SECRET: 'console-hook-secret',
  ACME_EVENTS_TOKEN: 'console-events-token',
};

/** A Salesforce lead row (the export's 23 columns) whose ConvertedDate cannot be read. */
export const BAD_LEAD = [
  '00Q8c00003CONSOLEQ',
  'false',
  'Quinn',
  'Baddate',
  'Analyst',
  'Nowhere Inc',
  'quinn.baddate@nowhere.example',
  ...Array(8).fill(''),
  'last tuesday',
  ...Array(4).fill(''),
  ...Array(3).fill('2024-05-25T02:03:39.000Z'),
]
  .map((cell) => `"${cell}"`)
  .join(',');

/**
 * Copies examples/acme, generates its data, applies it to `sandbox`, runs both file sources and
 * every segment twice (two points of history; one lead is quarantined), and activates sales-alerts while its receiver
 * refuses, so its changes are dead-lettered and waiting for a retry.
 */
export async function seedAcmeSandbox(sandbox: string, databaseUrl: string): Promise<AcmeSandbox> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-acme-console-'));
  const dir = path.join(work, 'acme');
  await fs.cp(path.join(ROOT, 'examples', 'acme'), dir, {
    recursive: true,
    filter: (src) => !src.startsWith(path.join(ROOT, 'examples', 'acme', 'data')),
  });
  await holdSchedules(dir);
  await generateAcmeData({ outDir: path.join(dir, 'data') });
  // One lead whose conversion date is not a date: quarantined, within the source's maxErrorRatio.
  await fs.appendFile(path.join(dir, 'data', 'salesforce', 'Lead.csv'), `${BAD_LEAD}\n`);
  const refuse = { value: true };
  const marketo = await startMarketoServer({ clientSecret: SECRETS.MARKETO_CLIENT_SECRET });
  const receiver = await startWebhookReceiver({
    secret: SECRETS.SALES_WEBHOOK_SECRET,
    respond: () => (refuse.value ? { status: 422, body: '{"error":"refused by the test"}' } : undefined),
  });
  const env = {
    DATABASE_URL: databaseUrl,
    ROSTER_ALLOW_PRIVATE_HOSTS: '127.0.0.1',
    ROSTER_VAR_MARKETO_ENDPOINT: marketo.url,
    ROSTER_VAR_MARKETO_CLIENT_ID: marketo.clientId,
    ROSTER_VAR_SALES_WEBHOOK_URL: `${receiver.url}roster/sales-alerts`,
    ROSTER_VAR_EXPORT_DIR: path.join(work, 'exports'),
    ...SECRETS,
  };
  const run = (args: string[]) => {
    const result = roster([...args, '--sandbox', sandbox], env, work);
    if (result.code !== 0)
      throw new Error(`roster ${args.join(' ')} exited ${result.code}: ${result.stderr}${result.stdout}`);
  };
  run(['apply', dir, '--yes']);
  run(['source', 'run', 'salesforce-crm']);
  run(['source', 'run', 'marketo']);
  run(['segment', 'run', '--all']);
  run(['segment', 'run', '--all']);
  // Exits 1: every change to sales-alerts is refused and dead-lettered. Asynchronously: the
  // receiver answers from this process, which a synchronous child would block.
  await rosterAsync(['destination', 'activate', 'sales-alerts', '--sandbox', sandbox], env, work).done;
  return {
    dir,
    env,
    marketo,
    receiver,
    refuse,
    async close() {
      await marketo.close();
      await receiver.close();
      await fs.rm(work, { recursive: true, force: true });
    },
  };
}

/** A schedule that does not fire while a test or a benchmark runs (00:00 on January 1st). */
const HELD = '"0 0 1 1 *"';

/**
 * Moves every schedule of the copy to {@link HELD}, and gives segments without one (hourly by
 * default) that schedule too: the minute tick of `roster run` then starts no run while a test
 * compares pages with the database.
 */
async function holdSchedules(dir: string): Promise<void> {
  for (const folder of ['sources', 'segments', 'destinations']) {
    for (const name of await fs.readdir(path.join(dir, folder))) {
      const file = path.join(dir, folder, name);
      const text = (await fs.readFile(file, 'utf8')).replace(/^(\s+schedule:).*$/m, `$1 ${HELD}`);
      const held =
        folder !== 'segments' || /^\s+schedule:/m.test(text)
          ? text
          : text.replace(/^(\s+)subject:(.*)$/m, `$1subject:$2\n$1schedule: ${HELD}`);
      await fs.writeFile(file, held);
    }
  }
}
