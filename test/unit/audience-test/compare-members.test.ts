import { describe, expect, it } from 'vitest';
import { compareMembers } from '../../../engine/audience-test/compare-members';
import type { MemberRow } from '../../../engine/segment/read-members';

const member = (subjectId: number, label: string | null, detail: string | null = null): MemberRow => ({
  subjectId,
  enteredAt: '2026-12-07T00:00:00Z',
  label,
  detail,
});

describe('compareMembers', () => {
  it('matches persons by email whatever the case, and lists the missing and the extra', () => {
    const result = compareMembers(
      { target: 'Segment/leaders', subject: 'person', line: 3, expected: ['ada@acme.example', 'bob@acme.example'] },
      [member(1, 'Ada@Acme.example', 'Ada L'), member(2, 'cy@acme.example'), member(3, null)],
    );
    expect(result).toMatchObject({
      passed: false,
      missing: ['bob@acme.example'],
      extra: ['cy@acme.example', 'person 3 (no email)'],
      actual: ['Ada@Acme.example', 'cy@acme.example', 'person 3 (no email)'],
    });
  });

  it('matches accounts by name or by domain, and shows them as name (domain)', () => {
    const accounts = [member(1, 'Globex', 'globex.example'), member(2, 'Initech', 'initech.example')];
    const byEither = compareMembers(
      { target: 'Segment/enterprise', subject: 'account', line: 1, expected: ['globex.example', 'initech'] },
      accounts,
    );
    expect(byEither).toMatchObject({ passed: true, missing: [], extra: [] });
    const one = compareMembers(
      { target: 'Segment/enterprise', subject: 'account', line: 1, expected: ['Globex'] },
      accounts,
    );
    expect(one).toMatchObject({ passed: false, extra: ['Initech (initech.example)'] });
  });

  it('passes an empty expectation only when the segment is empty', () => {
    const target = { target: 'Segment/none', subject: 'person' as const, line: 1, expected: [] };
    expect(compareMembers(target, []).passed).toBe(true);
    expect(compareMembers(target, [member(1, 'a@b.example')]).extra).toEqual(['a@b.example']);
  });
});
