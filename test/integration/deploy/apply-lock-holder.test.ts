import { describe, expect, it } from 'vitest';
import { main } from '../../../engine/cli/main';
import { ApplyLockedError, acquireApplyLock } from '../../../engine/deploy/apply-lock';
import { migrateSandbox } from '../../../engine/runtime/migrate-sandbox';
import { captureIo } from '../../support/capture-io';
import { useSandboxes } from '../../support/use-sandboxes';

const sandboxes = useSandboxes('roster-apply-lock-holder-');
const ISO_SECOND = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

describe('the apply lock holder', () => {
  it('is named, with the time it took the lock, by roster status and by a second apply', async () => {
    const { sandbox, dir } = await sandboxes.create('lockh');
    await migrateSandbox(sandboxes.pool, sandbox);
    const lock = await acquireApplyLock(sandboxes.pool, sandbox, 'alice@build-7', 0);
    try {
      const io = captureIo(dir, sandboxes.env);
      expect(await main(['status', '--sandbox', sandbox, '--format', 'json'], io)).toBe(0);
      const status = JSON.parse(io.out.join(''));
      expect(status.lock.holder).toBe('alice@build-7');
      expect(status.lock.since).toMatch(ISO_SECOND);

      const second = await acquireApplyLock(sandboxes.pool, sandbox, 'bob@laptop', 0).catch((e: unknown) => e);
      expect(second).toBeInstanceOf(ApplyLockedError);
      expect(second).toMatchObject({ holder: 'alice@build-7', since: status.lock.since });
    } finally {
      await lock.release();
    }
    const io = captureIo(dir, sandboxes.env);
    expect(await main(['status', '--sandbox', sandbox], io)).toBe(0);
    expect(io.out.join('')).toContain('Not locked.');
  });
});
