import { describe, expect, it } from 'vitest';
import type { ResourceDocument } from '../../../engine/config/resource';
import { findDrift } from '../../../engine/plan/find-drift';
import type { AppliedResource } from '../../../engine/runtime/registry/applied-resource';
import { contentHash } from '../../../engine/util/canonical-json';

const document = (description: string): ResourceDocument => ({
  apiVersion: 'roster/v1',
  kind: 'Segment',
  metadata: { name: 'vip', description },
  spec: { subject: 'person', where: { attribute: 'email', op: 'exists' } },
});

function row(doc: ResourceDocument, overrides: Partial<AppliedResource> = {}): AppliedResource {
  return {
    kind: 'Segment',
    name: 'vip',
    revision: 1,
    specHash: contentHash(doc),
    document: doc,
    sourceFile: 'segments/vip.yaml',
    managedBy: 'roster',
    appliedAt: '2026-12-01T00:00:00.000Z',
    appliedBy: 'ci@build',
    gitCommit: null,
    configRoot: null,
    ...overrides,
  };
}

const applied = document('as applied');
const recorded = {
  key: 'Segment/vip' as const,
  operation: 'update' as const,
  specHash: contentHash(applied),
  applyId: 'a1',
};

describe('findDrift', () => {
  it('finds nothing when the registry holds what the last apply recorded', () => {
    expect(findDrift([row(applied)], [recorded])).toEqual([]);
  });

  it('names another tool that applied since, and a document edited with SQL', () => {
    const pulumi = row(document('by pulumi'), { revision: 2, managedBy: 'pulumi' });
    expect(findDrift([pulumi], [recorded])).toEqual([
      { key: 'Segment/vip', reason: 'revision 2 by pulumi holds another document than apply a1 recorded' },
    ]);
    const edited = row(document('edited'), { specHash: contentHash(applied) });
    expect(findDrift([edited], [recorded])[0]!.reason).toBe(
      'revision 1 holds another document than apply a1 recorded (edited in the database)',
    );
  });

  it('names a resource deleted outside Roster, and one edited that no apply of Roster recorded', () => {
    expect(findDrift([], [recorded])).toEqual([
      { key: 'Segment/vip', reason: 'deleted outside Roster after apply a1 wrote it' },
    ]);
    const unrecorded = row(document('edited'), { specHash: contentHash(applied), managedBy: 'pulumi' });
    expect(findDrift([unrecorded], [])).toEqual([
      {
        key: 'Segment/vip',
        reason: "revision 1's document was edited in the database (it no longer matches its spec hash)",
      },
    ]);
    expect(findDrift([row(applied, { managedBy: 'pulumi' })], [])).toEqual([]);
  });
});
