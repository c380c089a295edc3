import { sandboxSchema } from './sandbox-schema';

/**
 * The NOTIFY channel of a sandbox's outbox, `roster_outbox_<sandbox>`: one channel per sandbox, so
 * a delivery listener wakes for its own sandbox's changes only (decision 38). Sandbox names are
 * checked against `sandboxSchema`'s pattern, so the channel is a plain identifier.
 */
export function outboxChannel(sandbox: string): string {
  sandboxSchema(sandbox);
  return `roster_outbox_${sandbox}`;
}
