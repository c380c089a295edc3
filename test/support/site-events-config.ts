/**
 * An http source `site` pushing events (type, `at`, email; token from SITE_TOKEN) and a streaming
 * segment `engaged`: VPs with at least two email opens in 7 days. Beside `crmPeopleConfig({
 * alsoStitched: ['site'] })`, the smallest project where a pushed event changes a membership.
 */
export function siteEventsConfig(): Record<string, string> {
  return {
    'site.yaml': `apiVersion: roster/v1
kind: Source
metadata: { name: site }
spec:
  type: http
  http: { token: '{{ secret("SITE_TOKEN") }}' }
  objects:
    - { name: events, entity: event, fields: { type: type, occurredAt: at }, identities: { email: email } }
`,
    'engaged.yaml': `apiVersion: roster/v1
kind: Segment
metadata: { name: engaged }
spec:
  subject: person
  evaluation: streaming
  where:
    all:
      - { attribute: jobTitle, op: contains, value: vp }
      - events: { type: email.opened, within: 7d, count: { gte: 2 } }
`,
  };
}
