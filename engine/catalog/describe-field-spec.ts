import type { FieldSpec } from '../sources/preset-mappings';

/**
 * A field recipe in a reader's words: `Email`, `IsClosed, else StageName (mapped: true, false,
 * Closed Won...)`, `constant "lead"`, `Website (as a bare domain)`, `... when activityTypeId is 1 or 3`.
 */
export function describeFieldSpec(spec: FieldSpec): string {
  if (typeof spec === 'string') return spec;
  if (Array.isArray(spec)) return spec.join(', else ');
  if (spec.constant !== undefined) return `constant ${JSON.stringify(spec.constant)}`;
  const from = spec.from === undefined ? '' : Array.isArray(spec.from) ? spec.from.join(', else ') : spec.from;
  const parts = [from];
  if (spec.transform === 'stripUrl') parts.push('(as a bare domain)');
  if (spec.transform === 'emailDomain') parts.push('(its domain)');
  if (spec.lookup) parts.push(`(mapped: ${Object.keys(spec.lookup).join(', ')}; other values ${otherwise(spec)})`);
  if (spec.when) parts.push(`when ${spec.when.field} is ${spec.when.in.join(' or ')}`);
  return parts.join(' ');
}

function otherwise(spec: Exclude<FieldSpec, string | string[]>): string {
  if (spec.otherwise === undefined) return 'as they are';
  return spec.otherwise.includes('{value}') ? `as ${JSON.stringify(spec.otherwise)}` : JSON.stringify(spec.otherwise);
}
