import { readCurrentMembers } from '../activation/read-activation-members';
import type { Queryable } from '../runtime/queryable';
import type { AppliedConfig } from '../runtime/registry/read-applied-config';
import { sandboxSchema } from '../runtime/sandbox-schema';
import type { AppliedSegment } from '../segment/read-applied-segments';
import { type MemberRow, readMembers } from '../segment/read-members';
import type { AudienceTest, ExpectationResult } from './audience-test';
import { compareMembers } from './compare-members';

/** Members read per segment: fixtures are small; a test that needs more is not a unit test. */
const MAX_MEMBERS = 10_000;

/** Every expectation of the test compared with the evaluated sandbox: segments first, then destinations. */
export async function checkExpectations(
  db: Queryable,
  sandbox: string,
  applied: { config: AppliedConfig; segments: readonly AppliedSegment[] },
  test: AudienceTest,
): Promise<ExpectationResult[]> {
  const results: ExpectationResult[] = [];
  for (const [i, expectation] of (test.spec.expect ?? []).entries()) {
    const subject = applied.segments.find((s) => s.name === expectation.segment)!.spec.subject;
    const page = { limit: MAX_MEMBERS, offset: 0 };
    const { members } = await readMembers(db, sandbox, expectation.segment, page);
    const target = `Segment/${expectation.segment}`;
    const line = test.locate(`/spec/expect/${i}`).line;
    results.push(compareMembers({ target, subject, line, expected: expectation.members }, members));
  }
  for (const [i, expectation] of (test.spec.activations ?? []).entries()) {
    const members = await readDestinationPersons(db, sandbox, applied, expectation.destination);
    const target = `Destination/${expectation.destination}`;
    const line = test.locate(`/spec/activations/${i}`).line;
    results.push(compareMembers({ target, subject: 'person', line, expected: expectation.members }, members));
  }
  return results;
}

/**
 * The persons a destination would hold: the activated persons (as the connectors read them) of the
 * current members of every segment bound to it, each person once.
 */
async function readDestinationPersons(
  db: Queryable,
  sandbox: string,
  applied: { config: AppliedConfig; segments: readonly AppliedSegment[] },
  destination: string,
): Promise<MemberRow[]> {
  const reader = {
    schema: sandboxSchema(sandbox),
    catalog: applied.config.catalog,
    fields: ['email'],
    segmentSpec: (name: string) => applied.segments.find((s) => s.name === name)?.spec,
  };
  const persons = new Map<number, MemberRow>();
  for (const segment of applied.segments.filter((s) => s.destinations.includes(destination)))
    for await (const page of readCurrentMembers(db, reader, segment.name))
      for (const member of page) {
        const email = member.fields.email;
        const label = typeof email === 'string' ? email : null;
        persons.set(member.personId, { subjectId: member.personId, enteredAt: '', label, detail: null });
      }
  return [...persons.values()];
}
