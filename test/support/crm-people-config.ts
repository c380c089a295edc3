/**
 * The smallest useful configuration: a `crm` file source reading `data/<file>` (columns id, email,
 * title) into persons, and an identity mapping on email. Tests add their segments, sources and
 * destinations beside it.
 */
export function crmPeopleConfig(
  options: { file?: string; schedule?: string; alsoStitched?: string[] } = {},
): Record<string, string> {
  const file = options.file ?? 'people.csv';
  return {
    'crm.yaml': `apiVersion: roster/v1
kind: Source
metadata: { name: crm }
spec:
  type: file
  file: { baseDir: data }
${options.schedule ? `  schedule: "${options.schedule}"\n` : ''}  objects:
    - { name: people, entity: person, path: ${file}, key: id, fields: { email: email, jobTitle: title }, identities: { email: email } }
`,
    'ids.yaml': `apiVersion: roster/v1
kind: IdentityMapping
metadata: { name: ids }
spec:
  sources: [${['crm', ...(options.alsoStitched ?? [])].join(', ')}]
  person: { namespaces: [{ name: email, type: email }] }
`,
  };
}
