import { describe, expect, it } from 'vitest';
import { firesInMinute } from '../../engine/jobs/due-schedules';

describe('firesInMinute (which sources the minute tick enqueues)', () => {
  const at = (iso: string) => new Date(iso);
  it('fires exactly in the minutes the cron names (UTC)', () => {
    expect(firesInMinute('*/15 * * * *', at('2026-11-28T10:30:00Z'))).toBe(true);
    expect(firesInMinute('*/15 * * * *', at('2026-11-28T10:30:59Z'))).toBe(true);
    expect(firesInMinute('*/15 * * * *', at('2026-11-28T10:31:00Z'))).toBe(false);
    expect(firesInMinute('0 6 * * *', at('2026-11-28T06:00:10Z'))).toBe(true);
    expect(firesInMinute('0 6 * * *', at('2026-11-28T07:00:00Z'))).toBe(false);
  });
  it('never fires for an expression it cannot parse', () => {
    expect(firesInMinute('not a cron', at('2026-11-28T06:00:00Z'))).toBe(false);
  });
});
