import type { MemberRow } from '../segment/read-members';
import type { ExpectationResult } from './audience-test';

/**
 * Compares a segment's members with the expected ones: persons by email (case-insensitive), accounts
 * by name or domain (either may be written). Pure.
 */
export function compareMembers(
  expectation: { target: string; subject: 'person' | 'account'; line: number; expected: readonly string[] },
  members: readonly MemberRow[],
): ExpectationResult {
  const keysOf = (m: MemberRow): string[] =>
    expectation.subject === 'person'
      ? [m.label?.toLowerCase() ?? '']
      : [m.label, m.detail].filter((v): v is string => v !== null).map((v) => v.toLowerCase());
  const matched = new Set<MemberRow>();
  const missing: string[] = [];
  for (const value of expectation.expected) {
    const hits = members.filter((m) => keysOf(m).includes(value.toLowerCase()));
    if (hits.length === 0) missing.push(value);
    for (const hit of hits) matched.add(hit);
  }
  const display = (m: MemberRow) => memberDisplay(expectation.subject, m);
  const extra = members.filter((m) => !matched.has(m)).map(display);
  return {
    target: expectation.target,
    subject: expectation.subject,
    line: expectation.line,
    passed: missing.length === 0 && extra.length === 0,
    expected: [...expectation.expected],
    actual: members.map(display).sort(),
    missing,
    extra: extra.sort(),
  };
}

/** How a member is shown: its email, or `name (domain)`; the id when it has neither. */
function memberDisplay(subject: 'person' | 'account', m: MemberRow): string {
  if (subject === 'person') return m.label ?? `person ${m.subjectId} (no email)`;
  if (m.label && m.detail) return `${m.label} (${m.detail})`;
  return m.label ?? m.detail ?? `account ${m.subjectId}`;
}
