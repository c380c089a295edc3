import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { CallLimiter } from '../../../engine/vendors/marketo/call-limiter';

/** Runs `count` calls of `durationMs` through `limiter` at once; returns their start and end times. */
async function runCalls(
  limiter: CallLimiter,
  count: number,
  durationMs: number,
): Promise<{ start: number; end: number }[]> {
  return Promise.all(
    Array.from({ length: count }, () =>
      limiter.run(async () => {
        const start = Date.now();
        await sleep(durationMs);
        return { start, end: Date.now() };
      }),
    ),
  );
}

describe('CallLimiter', () => {
  it('keeps at most maxConcurrency calls in flight', async () => {
    const limiter = new CallLimiter({ maxConcurrency: 3, callsPerWindow: 1_000, windowMs: 1_000 });
    let active = 0;
    let most = 0;

    await Promise.all(
      Array.from({ length: 12 }, () =>
        limiter.run(async () => {
          most = Math.max(most, ++active);
          await sleep(5);
          active--;
        }),
      ),
    );

    expect(most).toBe(3);
    expect(limiter.active).toBe(0);
  });

  it('starts the call past callsPerWindow only a full window after an earlier call ended', async () => {
    const limiter = new CallLimiter({ maxConcurrency: 10, callsPerWindow: 3, windowMs: 200 });

    const calls = await runCalls(limiter, 4, 10);

    const firstEnd = Math.min(...calls.slice(0, 3).map((call) => call.end));
    expect(calls[3]!.start - firstEnd).toBeGreaterThanOrEqual(195);
  });

  it('admits callers in the order they asked', async () => {
    const limiter = new CallLimiter({ maxConcurrency: 1, callsPerWindow: 100, windowMs: 1_000 });
    const order: number[] = [];

    await Promise.all([1, 2, 3, 4].map((n) => limiter.run(async () => void order.push(n))));

    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('refuses limits that are not positive integers, naming the limit', () => {
    expect(() => new CallLimiter({ maxConcurrency: 0, callsPerWindow: 100, windowMs: 20_000 })).toThrow(
      'CallLimiter: maxConcurrency must be a positive integer, got 0',
    );
  });
});
