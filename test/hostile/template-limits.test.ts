import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../engine/activation/connector';
import { createWebhookBodyRenderer } from '../../engine/activation/connectors/webhook/create-webhook-body-renderer';
import type { Problem } from '../../engine/config/problem';
import { renderTemplate } from '../../engine/config/render-template';

const TEN = '[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]';

/** `depth` nested loops over ten items around `body`: 10^depth iterations. */
function nestedLoops(depth: number, body: string): string {
  let text = body;
  for (let i = depth; i > 0; i--) text = `{% for i${i} in ten %}${text}{% endfor %}`;
  return `{% set ten = ${TEN} %}${text}`;
}

function refusal(text: string): { problem: Problem; elapsed: number } {
  const started = Date.now();
  const result = renderTemplate(`kind: Segment\nmetadata:\n  description: |\n    ${text}\n`, 'segments/limits.yaml', {
    sandbox: 'dev',
    env: {},
  });
  const elapsed = Date.now() - started;
  expect(result).toHaveProperty('problem');
  return { problem: (result as { problem: Problem }).problem, elapsed };
}

describe('render limits refuse, located, within a bounded time', () => {
  it('a loop of 10^7 iterations', () => {
    const { problem, elapsed } = refusal(nestedLoops(7, '{{ i7 }}'));

    expect(problem).toMatchObject({ code: 'CONFIG_TEMPLATE', file: 'segments/limits.yaml', line: 4 });
    expect(problem.message).toBe(
      'loops ran more than 100000 iterations in total; loop over data, not over generated ranges',
    );
    expect(elapsed).toBeLessThan(2_000);
  });

  it('an output of 10^4 copies of a 1,000-character text', () => {
    const { problem, elapsed } = refusal(`{% set s = "${'x'.repeat(1000)}" %}${nestedLoops(4, '{{ s }}')}`);

    expect(problem).toMatchObject({ code: 'CONFIG_TEMPLATE', line: 4 });
    expect(problem.message).toBe(
      'output is longer than 4194304 characters; templates render configuration and payloads, not bulk text',
    );
    expect(elapsed).toBeLessThan(2_000);
  });

  it('a string doubled 30 times with ~, and a replace that inserts everywhere', () => {
    const doubling = refusal(
      `{% set s = "ab" %}{% for i in ${'[1, 1, 1, 1, 1, 1]'} %}{% for j in [1, 1, 1, 1, 1] %}{% set s = s ~ s %}{% endfor %}{% endfor %}{{ s | length }}`,
    );
    const inserting = refusal(`{% set s = "${'y'.repeat(3000)}" %}{{ s | replace("", s) }}`);

    expect(doubling.problem.message).toBe('a ~ operand would be longer than 4194304 characters; build smaller values');
    expect(doubling.problem.column).toBe(101); // the right operand of `s ~ s`
    expect(inserting.problem.message).toBe(
      'the replace filter would handle more than 4194304 characters; build smaller values',
    );
  });

  it('a render slower than 2 s (every iteration allowed, each one slow)', () => {
    const big = `{% set big = "${'a'.repeat(1000)}" %}{% set big = big ~ big ~ big ~ big ~ big ~ big ~ big ~ big %}`;
    const { problem, elapsed } = refusal(`${big}${nestedLoops(5, '{{ big | replace("a", "b") | length }}')}`);

    expect(problem).toMatchObject({ code: 'CONFIG_TEMPLATE', line: 4 });
    expect(problem.message).toBe(
      'rendering took longer than 2000 ms; templates must render quickly: remove the loop or recursion that does not end',
    );
    expect(elapsed).toBeLessThan(5_000);
  });

  it('a macro that calls itself without end', () => {
    const { problem } = refusal('{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}');

    expect(problem).toMatchObject({ code: 'CONFIG_TEMPLATE', line: 4, column: 26 }); // the call `f(n)` in the macro
    expect(problem.message).toBe('calls are nested more than 64 deep; a macro must not call itself without end');
  });

  it('the same limits hold for a webhook payload template, failing the delivery for good', () => {
    const render = createWebhookBodyRenderer('Destination/crm-hook', `[${nestedLoops(7, '1,')}0]`);

    const started = Date.now();
    expect(() => render({ destination: 'd', segment: 's', batchId: 'b', changes: [] })).toThrow(DeliveryError);
    try {
      render({ destination: 'd', segment: 's', batchId: 'b', changes: [] });
    } catch (error) {
      expect((error as DeliveryError).retryable).toBe(false);
      expect((error as DeliveryError).message).toMatch(
        /^Destination\/crm-hook: webhook\.payload failed to render: line 1, column \d+: loops ran more than 100000 iterations in total; /,
      );
    }
    expect(Date.now() - started).toBeLessThan(4_000);
  });
});
