import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Sizes of a generated configuration project. */
export interface ProjectSize {
  sources: number;
  identityMappings: number;
  segments: number;
  destinations: number;
}

/** The project `roster validate` and `roster plan` are benchmarked on: 1,000 resources. */
export const THOUSAND_RESOURCES: ProjectSize = { sources: 90, identityMappings: 10, segments: 700, destinations: 200 };

/**
 * Writes a realistic configuration project of the given size to `dir`, one resource per file:
 * file sources with presets and custom fields, identity mappings over them, segments of every
 * shape (attributes, relations, events, segments of segments referencing earlier ones) and
 * destinations of every type. Deterministic: the same size gives the same files.
 */
export async function generateProject(dir: string, size: ProjectSize): Promise<number> {
  const files = new Map<string, string>();
  for (let i = 0; i < size.sources; i++) files.set(`sources/source-${i}.yaml`, sourceYaml(i));
  const perMapping = Math.ceil(size.sources / size.identityMappings);
  for (let m = 0; m < size.identityMappings; m++) {
    const sources = range(m * perMapping, Math.min(size.sources, (m + 1) * perMapping)).map((i) => `source-${i}`);
    files.set(`identity/identity-${m}.yaml`, identityYaml(m, sources));
  }
  for (let i = 0; i < size.segments; i++) files.set(`segments/segment-${i}.yaml`, segmentYaml(i));
  for (let i = 0; i < size.destinations; i++)
    files.set(`destinations/destination-${i}.yaml`, destinationYaml(i, size.segments));
  for (const [name, text] of files) {
    await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await fs.writeFile(path.join(dir, name), text);
  }
  return files.size;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, k) => from + k);
}

function sourceYaml(i: number): string {
  return `apiVersion: roster/v1
kind: Source
metadata:
  name: source-${i}
  labels: { team: team-${i % 7} }
spec:
  type: file
  file: { baseDir: data/source-${i} }
  schedule: "${i % 60} * * * *"
  customFields:
    - { entity: person, name: score${i}, type: number }
  objects:
    - { name: Account, entity: account, preset: salesforce/Account, path: Account.csv, identities: { crmAccountId: Id, domain: Website } }
    - { name: Contact, entity: person, preset: salesforce/Contact, path: Contact.csv, identities: { crmContactId: Id, email: Email } }
    - { name: Opportunity, entity: opportunity, preset: salesforce/Opportunity, path: Opportunity.csv }
    - { name: activities, entity: event, preset: marketo/activities, path: activities.csv }
`;
}

function identityYaml(m: number, sources: string[]): string {
  return `apiVersion: roster/v1
kind: IdentityMapping
metadata: { name: identity-${m} }
spec:
  sources: [${sources.join(', ')}]
  person:
    namespaces:
      - { name: crmContactId, type: crm-id, unique: true, priority: 100 }
      - { name: email, type: email, priority: 50, normalize: [trim, lowercase] }
  account:
    namespaces:
      - { name: crmAccountId, type: crm-id, unique: true }
      - { name: domain, type: domain, normalize: [trim, lowercase, stripUrl] }
  accountLinking: { byNamespace: crmAccountId }
`;
}

/** Six segment shapes in rotation; every fifth segment also references an earlier one. */
function segmentYaml(i: number): string {
  const shapes = [
    `{ attribute: jobTitle, op: contains, value: "VP" }`,
    `{ attribute: account.annualRevenue, op: gte, value: ${1_000_000 * (1 + (i % 50))} }`,
    `{ events: { type: email.opened, within: ${1 + (i % 60)}d, count: { gte: 3 } } }`,
    `{ opportunities: { role: [Decision Maker], where: { all: [{ attribute: isClosed, op: eq, value: false }, { attribute: amount, op: gte, value: 100000 }] } } }`,
    `{ attribute: email, op: matches, value: "@(acme|example)\\\\.com$" }`,
    `{ not: { attribute: leadStatus, op: in, value: [Closed - Not Converted, Disqualified] } }`,
  ];
  const conditions = [shapes[i % shapes.length]!, `{ attribute: country, op: in, value: [US, CA, GB] }`];
  if (i % 5 === 4) conditions.push(`{ inSegment: segment-${i - 4} }`);
  return `apiVersion: roster/v1
kind: Segment
metadata:
  name: segment-${i}
  description: Generated segment ${i}
spec:
  subject: person
  schedule: "${i % 60} * * * *"
  where:
    all:
${conditions.map((c) => `      - ${c}`).join('\n')}
`;
}

function destinationYaml(i: number, segmentCount: number): string {
  const segments = [0, 1, 2].map((k) => `segment-${(i * 3 + k) % segmentCount}`);
  const kind = i % 3;
  const bindings = segments
    .map((s, k) => (kind === 0 ? `    - { segment: ${s}, listId: ${1000 + i * 3 + k} }` : `    - { segment: ${s} }`))
    .join('\n');
  const block =
    kind === 0
      ? `  marketo: { endpoint: "https://123-ABC-456.mktorest.com", clientId: roster, clientSecret: "secret://MKTO_SECRET", fields: [email, ecid] }`
      : kind === 1
        ? `  webhook: { url: "https://hooks.example.com/roster/${i}", secret: "secret://HOOK_SECRET", fields: [email, firstName, account.name] }`
        : `  file: { directory: exports/${i}, format: csv, fields: [email, jobTitle] }`;
  const type = ['marketo-static-list', 'webhook', 'file'][kind];
  return `apiVersion: roster/v1
kind: Destination
metadata: { name: destination-${i} }
spec:
  type: ${type}
${block}
  segments:
${bindings}
`;
}
