import type { Problem } from '../config/problem';
import { problemAt } from '../config/problem-at';
import type { DestinationResourceItem } from '../config/resource';
import { compileTemplate } from '../template/compile-template';
import { templateFailureOf } from '../template/template-failure-of';

/**
 * A webhook `payload` template that cannot compile, or that the sandbox refuses, would dead-letter
 * every batch; report it at validate time instead. The template is rendered once against a sample
 * batch (one entered person with an example value for each field sent), so refusals that only show
 * when an expression runs (`x.constructor`, a loop past the limits) are found too. Whether the
 * sample renders valid JSON is left to delivery: sample values are not real ones.
 */
export function checkWebhookPayload(destination: DestinationResourceItem): Problem[] {
  const webhook = destination.spec.webhook;
  if (webhook?.payload === undefined) return [];
  try {
    compileTemplate(webhook.payload, { throwOnUndefined: false }).render(
      sampleBatch(destination.metadata.name, webhook.fields),
    );
    return [];
  } catch (error) {
    const { line, column, message } = templateFailureOf(error);
    const where = `line ${line}, column ${column} of the payload template`;
    return [problemAt(destination, '/spec/webhook/payload', 'CONFIG_TEMPLATE', `${where}: ${message}`)];
  }
}

function sampleBatch(destination: string, fields: readonly string[] | undefined): Record<string, unknown> {
  const values = Object.fromEntries((fields ?? ['email']).map((field) => [field, 'example']));
  return {
    destination,
    segment: 'example-segment',
    batchId: 'example-batch',
    changes: [
      {
        change: 'entered',
        subjectType: 'person',
        subjectId: 1,
        idempotencyKey: 'example-key',
        changedAt: '2026-01-01T00:00:00.000Z',
        fields: values,
        members: [{ personId: 1, fields: values }],
      },
    ],
  };
}
