import * as path from 'node:path';
import type { Pool } from 'pg';
import { type DrainResult, drainDestination } from '../activation/drain-destination';
import { readActivationConfig } from '../activation/read-applied-destinations';
import { startWebhookReceiver, type WebhookReceiver } from '../server/webhook-receiver';
import { DEMO_WEBHOOK_PORT, DEMO_WEBHOOK_URL, MARKETO_VARIABLES } from './demo-environment';

/** What the demo delivered to one destination, for its summary. */
export interface DemoDelivery {
  destination: string;
  type: string;
  result: DrainResult;
  /** Where it went, in a few words. */
  where: string;
}

/**
 * Delivers the example's destinations now: the file exports into their directory, the webhook to
 * a receiver started on loopback (it verifies every signature and counts what it receives), and
 * Marketo only when the user gave its credentials; otherwise it is skipped with the variables to set.
 */
export async function activateDemoDestinations(
  target: { pool: Pool; sandbox: string; env: NodeJS.ProcessEnv; cwd: string },
  onProgress: (line: string) => void,
): Promise<DemoDelivery[]> {
  const config = await readActivationConfig(target.pool, target.sandbox);
  const receiver =
    target.env.ROSTER_VAR_SALES_WEBHOOK_URL === DEMO_WEBHOOK_URL
      ? await startWebhookReceiver({
          port: DEMO_WEBHOOK_PORT,
          ...(target.env.SALES_WEBHOOK_SECRET ? { secret: target.env.SALES_WEBHOOK_SECRET } : {}),
        }).catch((error: NodeJS.ErrnoException) => {
          onProgress(
            `  (the demo webhook receiver cannot listen on 127.0.0.1:${DEMO_WEBHOOK_PORT}: ${error.code ?? error.message})`,
          );
          return undefined;
        })
      : undefined;
  const deliveries: DemoDelivery[] = [];
  try {
    for (const destination of config.destinations) {
      const result = await drainDestination({
        pool: target.pool,
        sandbox: target.sandbox,
        destination: destination.name,
        environment: { env: target.env, cwd: target.cwd, log: () => {} },
        releaseAll: true,
        config,
      });
      const spec = destination.spec;
      let where = '';
      if (spec.type === 'file')
        where = `files in ${path.relative(target.cwd, path.resolve(target.cwd, spec.file!.directory, target.sandbox))}`;
      if (spec.type === 'webhook') where = receiver ? describeReceived(receiver) : (spec.webhook?.url ?? '');
      if (spec.type === 'marketo-static-list' && result.status === 'skipped')
        where = `set ${MARKETO_VARIABLES.join(', ')} to deliver to your Marketo instance`;
      deliveries.push({ destination: destination.name, type: spec.type, result, where });
    }
  } finally {
    await receiver?.close();
  }
  return deliveries;
}

/** What the demo receiver holds: signed requests, and members per segment after applying them. */
function describeReceived(receiver: WebhookReceiver): string {
  const signed = receiver.receipts.filter((r) => r.signature === 'valid').length;
  const perSegment = new Map<string, number>();
  for (const member of receiver.members()) perSegment.set(member.segment, (perSegment.get(member.segment) ?? 0) + 1);
  const held = [...perSegment].map(([segment, n]) => `${segment} ${n}`).join(', ');
  return `${signed} signed requests received by the demo receiver at ${DEMO_WEBHOOK_URL}${held ? ` (members received: ${held})` : ''}`;
}
