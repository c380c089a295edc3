import { describe, expect, it } from 'vitest';
import { createLogger } from '../../engine/observe/create-logger';

function capture(level: 'info' | 'warn' = 'info') {
  const lines: string[] = [];
  const log = createLogger({ level, base: { sandbox: 'dev' }, write: (line) => lines.push(line) });
  return { log, entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('writes one JSON line per event with the level by name, an ISO time, the sandbox and msg', () => {
    const { log, entries } = capture();
    log({ level: 'warn', msg: 'source ingested', source: 'crm', quarantined: 1 });
    log({ msg: 'no level given' });
    const [first, second] = entries();
    expect(first).toEqual({
      level: 'warn',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      sandbox: 'dev',
      source: 'crm',
      quarantined: 1,
      msg: 'source ingested',
    });
    expect(second).toMatchObject({ level: 'info', msg: 'no level given' });
  });

  it('drops lines under its level', () => {
    const { log, entries } = capture('warn');
    log({ level: 'info', msg: 'batch delivered' });
    log({ level: 'debug', msg: 'request' });
    log({ level: 'error', msg: 'delivery failed' });
    expect(entries().map((e) => e.msg)).toEqual(['delivery failed']);
  });

  it('redacts values under secret-bearing keys, at the top and one level down', () => {
    const { log, entries } = capture();
    log({
      msg: 'request failed',
      token: 'push-token-value',
      connection: { password: 'pg-password', clientSecret: 'marketo-secret', host: 'db' },
      headers: { authorization: 'Bearer abc' },
    });
    const text = JSON.stringify(entries());
    for (const secret of ['push-token-value', 'pg-password', 'marketo-secret', 'Bearer abc'])
      expect(text).not.toContain(secret);
    expect(entries()[0]).toMatchObject({ token: '[redacted]', connection: { host: 'db', password: '[redacted]' } });
  });
});
