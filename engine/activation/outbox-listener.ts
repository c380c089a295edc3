import { Client } from 'pg';
import { outboxChannel } from '../runtime/outbox-channel';

export interface OutboxListenerOptions {
  url: string;
  /** The sandbox (names the connection) and its schema, whose notifications count (evaluation NOTIFYs the schema). */
  sandbox: string;
  schema: string;
  log(entry: Record<string, unknown>): void;
  /** A change was committed to the schema's outbox. */
  onNotify(): void;
  /** The connection came back after a loss: notifications sent meanwhile were missed. */
  onReconnected(): void;
  /** First wait before reconnecting, doubled per failed attempt up to 30 s; default 500 ms. */
  retryMs?: number;
}

export interface OutboxListener {
  close(): Promise<void>;
}

/**
 * LISTENs on the sandbox's `roster_outbox_<sandbox>` on a connection of its own (named `roster-delivery <sandbox>` in
 * pg_stat_activity), and opens it again when it is lost (a database restart, a terminated backend):
 * without it, delivery would fall back to the poll for good, seconds instead of milliseconds.
 * Resolves once listening; the first connection failing is the caller's error.
 */
export async function listenForOutbox(options: OutboxListenerOptions): Promise<OutboxListener> {
  let closed = false;
  let current: Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  const firstRetryMs = options.retryMs ?? 500;

  const connect = async (): Promise<void> => {
    const client = new Client({
      connectionString: options.url,
      application_name: `roster-delivery ${options.sandbox}`,
    });
    client.on('error', () => {}); // reported once, on 'end' below
    client.on('notification', (message) => {
      if (message.payload === options.schema) options.onNotify();
    });
    try {
      await client.connect();
      await client.query(`listen "${outboxChannel(options.sandbox)}"`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    client.on('end', () => {
      if (closed) return;
      options.log({ level: 'error', msg: 'delivery listener lost; reconnecting' });
      reconnect(firstRetryMs);
    });
    current = client;
  };
  const reconnect = (delayMs: number) => {
    timer = setTimeout(() => {
      if (closed) return;
      connect().then(
        () => {
          options.log({ level: 'info', msg: 'delivery listener reconnected' });
          options.onReconnected();
        },
        (error: unknown) => {
          options.log({
            level: 'error',
            msg: 'delivery listener reconnect failed',
            error: error instanceof Error ? error.message : String(error),
            retryInMs: Math.min(delayMs * 2, 30_000),
          });
          reconnect(Math.min(delayMs * 2, 30_000));
        },
      );
    }, delayMs);
  };

  await connect();
  return {
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      await current?.end().catch(() => undefined); // already gone with the database
    },
  };
}
