/**
 * A batch segment `everyone` (every person with an email) bound to a webhook destination `hook`
 * that posts to `url`, signed with the secret in HOOK_SECRET, one request at a time. Beside
 * `crmPeopleConfig()`, the smallest project whose deliveries a test can count at a receiver.
 */
export function everyoneWebhookConfig(url: string, batchSize: number): Record<string, string> {
  return {
    'everyone.yaml': `apiVersion: roster/v1
kind: Segment
metadata: { name: everyone }
spec: { subject: person, evaluation: batch, where: { attribute: email, op: exists } }
`,
    'hook.yaml': `apiVersion: roster/v1
kind: Destination
metadata: { name: hook }
spec:
  type: webhook
  webhook: { url: '${url}', secret: '{{ secret("HOOK_SECRET") }}', batchSize: ${batchSize} }
  rateLimit: { maxConcurrency: 1 }
  segments: [{ segment: everyone }]
`,
  };
}
