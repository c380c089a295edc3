import { lookup } from 'node:dns/promises';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  ActivationChange,
  DeliveryBatch,
  DeliveryContext,
  DeliveryError,
  DestinationConnector,
} from '../../../engine/activation/connector';
import { createWebhookConnector } from '../../../engine/activation/connectors/webhook-connector';
import { MissingSecretError } from '../../../engine/config/resolve-secret';
import { startWebhookReceiver, type WebhookReceiverOptions } from '../../../engine/server/webhook-receiver';
import { refusedAddressReason, refusedHostReason } from '../../../engine/util/private-address';
import type { WebhookTarget } from '../../../schemas/generated/resource-types';

const SECRET = 'whsec-test-key-0123456789';
/** The local receiver is loopback, so every delivery that should land needs the allow-list. */
const LOCAL = { ROSTER_ALLOW_PRIVATE_HOSTS: '127.0.0.1', HOOK_SECRET: SECRET, HOOK_TOKEN: 'token-abc' };
const REFUSED =
  /resolves to .*, a private, loopback or link-local address: .*allow it for local development with ROSTER_ALLOW_PRIVATE_HOSTS/;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function receiver(options: WebhookReceiverOptions = {}) {
  const started = await startWebhookReceiver(options);
  cleanups.push(() => started.close());
  return started;
}

function connector(webhook: WebhookTarget, env: NodeJS.ProcessEnv = LOCAL, maxConcurrency?: number) {
  const built = createWebhookConnector(
    {
      sandbox: 'test',
      name: 'crm-hook',
      spec: {
        type: 'webhook',
        webhook,
        segments: [{ segment: 'hot-leads' }],
        ...(maxConcurrency ? { rateLimit: { maxConcurrency } } : {}),
      },
    },
    { env, cwd: process.cwd(), log: () => {} },
  );
  cleanups.push(() => built.close());
  return built;
}

function context(signal = new AbortController().signal): DeliveryContext {
  return { currentMembers: async function* () {}, signal, log: () => {} };
}

function personChange(id: number, change: 'entered' | 'exited' = 'entered', key = `crm-hook:${id}`): ActivationChange {
  return {
    outboxId: id,
    idempotencyKey: key,
    change,
    subjectType: 'person',
    subjectId: id,
    changedAt: '2026-03-01T12:00:00.000Z',
    members: [{ personId: id, fields: { email: `p${id}@example.com`, 'account.name': `Account ${id % 7}` } }],
  };
}

function batch(changes: ActivationChange[], batchId = 'batch-1'): DeliveryBatch {
  return { destination: 'crm-hook', segment: 'hot-leads', binding: { segment: 'hot-leads' }, batchId, changes };
}

async function deliveryError(connector: DestinationConnector, delivered: DeliveryBatch): Promise<DeliveryError> {
  const error = await connector.deliver(delivered, context()).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ name: 'DeliveryError' });
  return error as DeliveryError;
}

/**
 * A TCP listener that counts connections (proof that nothing reached it) and either drops them at
 * once or reads and never answers (a hung endpoint; reading lets it see the client hang up).
 */
async function tcpListener(behaviour: 'drop' | 'hang' = 'drop'): Promise<{ port: number; connections: () => number }> {
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections += 1;
    if (behaviour === 'drop') socket.destroy();
    else socket.resume();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.address() as AddressInfo).port, connections: () => connections };
}

describe('webhook connector: delivery to the local receiver', () => {
  it('sends a signed batch that the receiver verifies and applies, with the batch id as idempotency key', async () => {
    const hook = await receiver({ secret: SECRET });
    const webhook = connector({
      url: `${hook.url}roster`,
      secret: 'secret://HOOK_SECRET',
      headers: { Authorization: 'secret://HOOK_TOKEN', 'X-Team': 'growth' },
    });

    const result = await webhook.deliver(batch([personChange(1), personChange(2)]), context());

    expect(result).toEqual({ unmatched: [] });
    const [receipt] = hook.receipts;
    expect(receipt).toMatchObject({ path: '/roster', batchId: 'batch-1', signature: 'valid', status: 200 });
    expect(receipt!.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'roster',
      'idempotency-key': 'batch-1',
      'x-roster-batch-id': 'batch-1',
      authorization: 'token-abc',
      'x-team': 'growth',
      'x-roster-signature': expect.stringMatching(/^sha256=[0-9a-f]{64}$/),
    });
    expect(hook.members('hot-leads').map((m) => m.subjectId)).toEqual([1, 2]);
  });

  it('sends the default payload: each change with its key, the person fields and the activated members', async () => {
    const hook = await receiver();
    const account: ActivationChange = {
      outboxId: 9,
      idempotencyKey: 'crm-hook:acct-9',
      change: 'entered',
      subjectType: 'account',
      subjectId: 9,
      changedAt: '2026-03-01T12:00:01.000Z',
      members: [{ personId: 91, fields: { email: 'a@acme.test', 'account.name': 'Acme' } }],
    };

    await connector({ url: hook.url }).deliver(batch([personChange(1), account]), context());

    expect(JSON.parse(hook.receipts[0]!.body)).toEqual({
      destination: 'crm-hook',
      segment: 'hot-leads',
      batchId: 'batch-1',
      changes: [
        {
          change: 'entered',
          subjectType: 'person',
          subjectId: 1,
          idempotencyKey: 'crm-hook:1',
          changedAt: '2026-03-01T12:00:00.000Z',
          fields: { email: 'p1@example.com', 'account.name': 'Account 1' },
          members: [{ personId: 1, fields: { email: 'p1@example.com', 'account.name': 'Account 1' } }],
        },
        {
          change: 'entered',
          subjectType: 'account',
          subjectId: 9,
          idempotencyKey: 'crm-hook:acct-9',
          changedAt: '2026-03-01T12:00:01.000Z',
          members: [{ personId: 91, fields: { email: 'a@acme.test', 'account.name': 'Acme' } }],
        },
      ],
    });
  });

  it('applies exits in order and counts a replayed change as a duplicate instead of applying it twice', async () => {
    const hook = await receiver();
    const webhook = connector({ url: hook.url });

    await webhook.deliver(batch([personChange(1), personChange(2), personChange(3)], 'b1'), context());
    await webhook.deliver(batch([personChange(2, 'exited', 'crm-hook:2-exit')], 'b2'), context());
    await webhook.deliver(batch([personChange(1), personChange(2)], 'b1'), context());

    expect(hook.members('hot-leads').map((m) => m.subjectId)).toEqual([1, 3]);
    expect(hook.duplicates).toBe(2);
    expect(hook.receipts.map((r) => r.batchId)).toEqual(['b1', 'b2', 'b1']);
  });

  it('rejects a tampered body with 401 and applies nothing', async () => {
    const hook = await receiver({ secret: SECRET });
    await connector({ url: hook.url, secret: 'secret://HOOK_SECRET' }).deliver(batch([personChange(1)]), context());
    const signed = hook.receipts[0]!;

    const tampered = signed.body.replace('p1@example.com', 'attacker@example.com');
    const answer = await fetch(hook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-roster-signature': String(signed.headers['x-roster-signature']),
      },
      body: tampered.replace('"crm-hook:1"', '"crm-hook:1-forged"'),
    });

    expect(answer.status).toBe(401);
    expect(hook.receipts[1]).toMatchObject({ signature: 'invalid', status: 401 });
    expect(hook.members().map((m) => m.fields)).toEqual([{ email: 'p1@example.com', 'account.name': 'Account 1' }]);
  });

  it('reports a receiver that refuses the signature as not retryable, without the key in the message', async () => {
    const hook = await receiver({ secret: 'another-key' });

    const error = await deliveryError(
      connector({ url: hook.url, secret: 'secret://HOOK_SECRET' }),
      batch([personChange(1)]),
    );

    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/^Destination\/crm-hook: webhook http:\/\/127\.0\.0\.1:\d+\/ answered HTTP 401: /);
    expect(error.message).not.toContain(SECRET);
  });

  it('renders a payload template with the json filter, and signs the rendered bytes', async () => {
    const hook = await receiver({ secret: SECRET });
    const payload = `{"list": {{ segment | json }}, "batch": {{ batchId | json }}, "people": [
      {%- for c in changes %}{"op": {{ c.change | json }}, "email": {{ c.fields.email | json }}, "company": {{ c.fields["account.name"] | json }}}{% if not loop.last %},{% endif %}{% endfor -%}
    ]}`;

    await connector({ url: hook.url, secret: 'secret://HOOK_SECRET', payload }).deliver(
      batch([personChange(1), personChange(2, 'exited')]),
      context(),
    );

    expect(hook.receipts[0]!.signature).toBe('valid');
    expect(JSON.parse(hook.receipts[0]!.body)).toEqual({
      list: 'hot-leads',
      batch: 'batch-1',
      people: [
        { op: 'entered', email: 'p1@example.com', company: 'Account 1' },
        { op: 'exited', email: 'p2@example.com', company: 'Account 2' },
      ],
    });
  });

  it('refuses a template that renders invalid JSON, or reaches past the batch variables, before sending', async () => {
    const hook = await receiver();

    const invalid = await deliveryError(
      connector({ url: hook.url, payload: '{"email": {{ changes[0].fields.email }}}' }),
      batch([personChange(1)]),
    );
    const escaping = await deliveryError(
      connector({ url: hook.url, payload: '{{ "".constructor.constructor("return process.env")() | json }}' }),
      batch([personChange(1)]),
    );

    expect(invalid).toMatchObject({ retryable: false });
    expect(invalid.message).toMatch(
      /^Destination\/crm-hook: webhook\.payload rendered invalid JSON \(.+\); embed values with the json filter/,
    );
    const broken = await deliveryError(
      connector({ url: hook.url, payload: '{% for c in changes %}{{ c.subjectId }}' }),
      batch([personChange(1)]),
    );

    expect(broken.message).toMatch(
      /^Destination\/crm-hook: webhook\.payload cannot be compiled: .*; fix the template$/,
    );
    expect(escaping).toMatchObject({ retryable: false });
    expect(escaping.message).toContain('"constructor" cannot be looked up');
    expect(hook.receipts).toHaveLength(0);
  });
});

describe('webhook connector: answers and failures', () => {
  it('makes 429 retryable after the Retry-After seconds, and honours an HTTP-date on 503', async () => {
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    const answers = [
      { status: 429, headers: { 'retry-after': '7' }, body: '{"error":"slow down"}' },
      { status: 503, headers: { 'retry-after': inTenSeconds } },
    ];
    const hook = await receiver({ respond: () => answers.shift() });
    const webhook = connector({ url: hook.url });

    const limited = await deliveryError(webhook, batch([personChange(1)]));
    const unavailable = await deliveryError(webhook, batch([personChange(1)]));

    expect(limited).toMatchObject({ retryable: true, retryAfterMs: 7000 });
    expect(limited.message).toMatch(
      /answered HTTP 429: \{"error":"slow down"\}; will retry after 7 s \(Retry-After\)$/,
    );
    expect(unavailable.retryable).toBe(true);
    expect(unavailable.retryAfterMs).toBeGreaterThan(8000);
    expect(unavailable.retryAfterMs).toBeLessThanOrEqual(10_000);
    expect(hook.members()).toEqual([]);
  });

  it('makes 500 retryable and lands the batch once the receiver recovers', async () => {
    let failures = 2;
    const hook = await receiver({ respond: () => (failures-- > 0 ? { status: 500, body: 'boom' } : undefined) });
    const webhook = connector({ url: hook.url });

    const first = await deliveryError(webhook, batch([personChange(1)]));
    await deliveryError(webhook, batch([personChange(1)]));
    await webhook.deliver(batch([personChange(1)]), context());

    expect(first).toMatchObject({ retryable: true, retryAfterMs: undefined });
    expect(hook.receipts.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(hook.members().map((m) => m.subjectId)).toEqual([1]);
  });

  it('makes 400 non-retryable with the status and the start of the body, secrets masked', async () => {
    const hook = await receiver({
      respond: (request) => ({
        status: 400,
        body: `invalid batch; you sent Authorization ${String(request.headers.authorization)} ${'x'.repeat(300)}`,
      }),
    });

    const error = await deliveryError(
      connector({ url: hook.url, headers: { Authorization: 'secret://HOOK_TOKEN' } }),
      batch([personChange(1)]),
    );

    expect(error.retryable).toBe(false);
    expect(error.message).toContain('answered HTTP 400: invalid batch; you sent Authorization [redacted] xxx');
    expect(error.message).not.toContain('token-abc');
    const excerpt = /answered HTTP 400: (.*); not retried: /.exec(error.message)?.[1];
    expect(excerpt).toHaveLength(201); // 200 characters and an ellipsis
  });

  it('makes a timeout and a refused connection retryable', async () => {
    const hung = await tcpListener('hang');
    const dropping = await tcpListener('drop');

    const timedOut = await deliveryError(
      connector({ url: `http://127.0.0.1:${hung.port}/`, timeoutSeconds: 0.2 }),
      batch([personChange(1)]),
    );
    const dropped = await deliveryError(
      connector({ url: `http://127.0.0.1:${dropping.port}/` }),
      batch([personChange(1)]),
    );
    const closed = await deliveryError(connector({ url: 'http://127.0.0.1:1/' }), batch([personChange(1)]));

    expect(timedOut).toMatchObject({ retryable: true });
    expect(timedOut.message).toContain('timed out after 0.2 s');
    expect(dropped).toMatchObject({ retryable: true });
    expect(closed).toMatchObject({ retryable: true });
    expect(closed.message).toContain('ECONNREFUSED');
  });

  it('stops a request when the delivery is cancelled', async () => {
    const hung = await tcpListener('hang');
    const controller = new AbortController();
    const webhook = connector({ url: `http://127.0.0.1:${hung.port}/` });

    const pending = webhook.deliver(batch([personChange(1)]), context(controller.signal));
    setTimeout(() => controller.abort(), 50);

    await expect(pending).rejects.toMatchObject({ retryable: true, message: expect.stringContaining('cancelled') });
  });

  it('throws MissingSecretError from the factory when a secret is not set', () => {
    expect(() => connector({ url: 'https://hooks.example.com/', secret: 'secret://UNSET_HOOK_SECRET' }, {})).toThrow(
      MissingSecretError,
    );
  });

  it('takes its batch size and concurrency from the spec', () => {
    expect(connector({ url: 'https://hooks.example.com/' })).toMatchObject({ maxBatchSize: 500, maxConcurrency: 4 });
    expect(connector({ url: 'https://hooks.example.com/', batchSize: 50 }, LOCAL, 9)).toMatchObject({
      maxBatchSize: 50,
      maxConcurrency: 9,
    });
  });
});

describe('webhook connector: server-side request forgery protection at send time', () => {
  it.each([
    ['http://127.0.0.1:PORT/', '127.0.0.1'],
    ['http://0x7f.1:PORT/', '127.0.0.1'],
    ['http://2130706433:PORT/', '127.0.0.1'],
    ['http://[::ffff:127.0.0.1]:PORT/', '::ffff:7f00:1'],
    ['http://[::1]:PORT/', '::1'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
  ])('refuses %s (%s) without connecting', async (template, address) => {
    const listener = await tcpListener();
    const url = template.replace('PORT', String(listener.port));

    const error = await deliveryError(
      connector({ url }, { ROSTER_ALLOW_PRIVATE_HOSTS: 'hooks.example.com' }),
      batch([personChange(1)]),
    );

    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(REFUSED);
    expect(error.message).toContain(`resolves to ${address}, a private, loopback or link-local address`);
    expect(error.message).toContain(`ROSTER_ALLOW_PRIVATE_HOSTS=${address}`);
    expect(listener.connections()).toBe(0);
  });

  it('shows the host as written when the URL parser normalised it', async () => {
    const error = await deliveryError(connector({ url: 'http://0x7f.1/hook?token=abc' }, {}), batch([personChange(1)]));

    expect(error.message).toBe(
      'Destination/crm-hook: webhook URL http://0x7f.1/… resolves to 127.0.0.1, a private, loopback or link-local address: refused (server-side request forgery protection); use a public endpoint, or allow it for local development with ROSTER_ALLOW_PRIVATE_HOSTS=127.0.0.1',
    );
  });

  it('refuses a name of this machine (localhost) unless it is allow-listed', async () => {
    const hook = await receiver();
    const url = hook.url.replace('127.0.0.1', 'localhost');

    const refused = await deliveryError(connector({ url }, {}), batch([personChange(1)]));
    const allowed = await connector({ url }, { ROSTER_ALLOW_PRIVATE_HOSTS: 'localhost' }).deliver(
      batch([personChange(1)]),
      context(),
    );

    expect(refused.retryable).toBe(false);
    expect(refused.message).toContain(
      'names localhost, a name of this machine or of a private network: refused (server-side request forgery protection)',
    );
    expect(refused.message).toContain('ROSTER_ALLOW_PRIVATE_HOSTS=localhost');
    expect(allowed).toEqual({ unmatched: [] });
    expect(hook.receipts).toHaveLength(1);
  });

  it("refuses a name whose DNS answer is private (this machine's host name), unless it is allow-listed", async (test) => {
    const name = hostname().toLowerCase();
    const addresses = await lookup(name, { all: true }).catch(() => []);
    // The check needs a name that only its address betrays; environments differ in what they have.
    if (refusedHostReason(name) || !addresses.some((a) => refusedAddressReason(a.address))) test.skip();
    const listener = await tcpListener();
    const url = `http://${name}:${listener.port}/`;

    const refused = await deliveryError(connector({ url }, {}), batch([personChange(1)]));
    const allowed = await deliveryError(
      connector({ url }, { ROSTER_ALLOW_PRIVATE_HOSTS: name }),
      batch([personChange(1)]),
    );

    expect(refused.retryable).toBe(false);
    expect(refused.message).toMatch(REFUSED);
    expect(refused.message).toContain(`ROSTER_ALLOW_PRIVATE_HOSTS=${name}`);
    // Allowed, the request is made (and dropped by the listener, hence a retryable failure).
    expect(allowed.retryable).toBe(true);
    expect(listener.connections()).toBe(1);
  });

  it('does not follow a redirect to the metadata address, and says it is refused', async () => {
    const hook = await receiver({
      respond: () => ({ status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' } }),
    });

    const error = await deliveryError(connector({ url: hook.url }), batch([personChange(1)]));

    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(
      /answered HTTP 302, a redirect to http:\/\/169\.254\.169\.254\/… \(refused: 169\.254\.169\.254 is a private, loopback or link-local address\); redirects are not followed/,
    );
    expect(hook.receipts).toHaveLength(1);
  });

  it('does not follow a redirect to another local port, even an allow-listed host', async () => {
    const other = await tcpListener();
    const hook = await receiver({
      respond: () => ({ status: 307, headers: { location: `http://127.0.0.1:${other.port}/steal` } }),
    });

    const error = await deliveryError(connector({ url: hook.url }), batch([personChange(1)]));

    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`a redirect to http://127.0.0.1:${other.port}/…; redirects are not followed`);
    expect(other.connections()).toBe(0);
    expect(hook.receipts).toHaveLength(1);
  });
});

describe('webhook connector: throughput', () => {
  it('delivers 20,000 members in batches of 500 over keep-alive connections', async () => {
    const hook = await receiver({ secret: SECRET });
    const webhook = connector({ url: hook.url, secret: 'secret://HOOK_SECRET' });
    const batches = Array.from({ length: 40 }, (_, b) =>
      batch(
        Array.from({ length: 500 }, (_, i) => personChange(b * 500 + i + 1)),
        `batch-${b}`,
      ),
    );

    const started = performance.now();
    const queue = [...batches];
    await Promise.all(
      Array.from({ length: webhook.maxConcurrency }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) await webhook.deliver(next, context());
      }),
    );
    const seconds = (performance.now() - started) / 1000;

    console.log(
      `webhook throughput: 20,000 members in ${seconds.toFixed(2)} s = ${Math.round(20_000 / seconds)} members/s`,
    );
    expect(hook.members('hot-leads')).toHaveLength(20_000);
    expect(hook.receipts.every((r) => r.signature === 'valid')).toBe(true);
  });
});
