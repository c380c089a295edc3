import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../engine/activation/connector';
import { createWebhookBodyRenderer } from '../../engine/activation/connectors/webhook/create-webhook-body-renderer';
import { allowListedEnv, renderTemplate } from '../../engine/config/render-template';
import { writeConfigDir } from '../support/config-dir';
import { expectGolden } from '../support/golden';
import { recordHostile } from '../support/hostile-tally';
import { roster } from '../support/run-roster';
import {
  loadTemplatePayloads,
  markerExists,
  resourceFileWith,
  SECRET_NAME,
  SECRET_VALUE,
} from '../support/template-payloads';

const { payloads, marker } = loadTemplatePayloads();

const host = process as { mainModule?: unknown };
const mainModule = host.mainModule;

beforeAll(() => {
  // In reach of a payload that escaped: the renderer runs in this process.
  process.env[SECRET_NAME] = SECRET_VALUE;
  // The published payloads go through process.mainModule, which a `node bin/roster.js` process has
  // and a vitest worker does not: give the worker one, so that an escape here runs as it would in CI.
  host.mainModule ??= { require: createRequire(__filename) };
});
afterEach(async () => fs.rm(marker, { force: true }));
/** Payloads refused as promised, per place (a failing case does not count). */
const held = { resourceFile: 0, webhook: 0 };
afterAll(() => {
  recordHostile({
    suite: 'template injection corpus, resource files',
    tried: payloads.length,
    held: held.resourceFile,
  });
  recordHostile({ suite: 'template injection corpus, webhook payloads', tried: payloads.length, held: held.webhook });
  delete process.env[SECRET_NAME];
  host.mainModule = mainModule;
});

describe('known nunjucks template-injection payloads in a resource file', () => {
  it.each(payloads)('$name ($source) is refused as CONFIG_TEMPLATE, with no side effect', ({ template }) => {
    const text = resourceFileWith('payload', template);
    const result = renderTemplate(text, 'segments/payload.yaml', { sandbox: 'dev', env: allowListedEnv(process.env) });

    expect(result).toHaveProperty('problem');
    const { problem } = result as Extract<typeof result, { problem: unknown }>;
    expect(problem).toMatchObject({ code: 'CONFIG_TEMPLATE', file: 'segments/payload.yaml' });
    expect(problem.line).toBeGreaterThanOrEqual(5);
    expect(problem.message).not.toContain(SECRET_VALUE);
    expect(markerExists(marker)).toBe(false);
    held.resourceFile++;
  });

  it('roster validate refuses every one of them, located, prints no secret and runs nothing', async () => {
    const files: Record<string, string> = {};
    payloads.forEach(({ template }, i) => {
      files[`config/p${String(i + 1).padStart(2, '0')}.yaml`] = resourceFileWith(`p${i + 1}`, template);
    });
    const dir = await writeConfigDir(files);
    try {
      const result = roster(['validate', 'config'], { [SECRET_NAME]: SECRET_VALUE }, dir);
      const output = `${result.stdout}${result.stderr}`;

      expect(result.code).toBe(1);
      expect(output).not.toContain(SECRET_VALUE);
      expect(markerExists(marker)).toBe(false);
      for (const file of Object.keys(files))
        expect(output).toMatch(new RegExp(`^CONFIG_TEMPLATE ${file}:\\d+:\\d+:? `, 'm'));
      const golden = output.replaceAll(marker, '__MARKER__');
      await expectGolden(golden, path.join(__dirname, 'golden', 'template-injection-validate.txt'));
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('known nunjucks template-injection payloads as a webhook payload template', () => {
  const batch = {
    destination: 'crm-hook',
    segment: 'hot-leads',
    batchId: 'batch-1',
    changes: [
      {
        change: 'entered' as const,
        subjectType: 'person' as const,
        subjectId: 1,
        idempotencyKey: 'k1',
        changedAt: '2026-01-01T00:00:00Z',
        fields: { email: 'p1@example.com' },
        members: [{ personId: 1, fields: { email: 'p1@example.com' } }],
      },
    ],
  };

  it.each(payloads)('$name fails the delivery as non-retryable, with no side effect', ({ template }) => {
    const render = createWebhookBodyRenderer('Destination/crm-hook', template);
    let failure: unknown;
    try {
      render(batch);
    } catch (error) {
      failure = error;
    }

    expect(failure).toBeInstanceOf(DeliveryError);
    expect(failure).toMatchObject({ retryable: false });
    expect((failure as DeliveryError).message).toMatch(
      /^Destination\/crm-hook: webhook\.payload .*line \d+, column \d+: /,
    );
    expect((failure as DeliveryError).message).not.toContain(SECRET_VALUE);
    expect(markerExists(marker)).toBe(false);
    held.webhook++;
  });
});
