import * as os from 'node:os';
import * as path from 'node:path';
import { defineConfig } from 'vitest/config';

// One tally file per run: hostile tests append what they tried, the global setup prints the totals.
process.env.ROSTER_HOSTILE_TALLY ??= path.join(os.tmpdir(), `roster-hostile-${process.pid}.jsonl`);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/hostile-summary.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
