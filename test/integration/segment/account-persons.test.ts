import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateSegment } from '../../../engine/segment/evaluate-segment';
import { explainSegment } from '../../../engine/segment/explain-segment';
import { readAppliedSegments } from '../../../engine/segment/read-applied-segments';
import type { Condition } from '../../../schemas/generated/resource-types';
import {
  type CrmData,
  memberLabels,
  type SegmentDefinition,
  segmentYaml,
  useSegmentWorkspace,
  writeConfig,
  writeCrmData,
} from './segment-sandbox';

const NOW = new Date('2026-06-15T12:00:00Z');

/**
 * The two shapes of "the persons of an account": Linked's persons name it as their account and it
 * has no relation rows; Related's persons have no account and are linked by relation rows only
 * (R3's flagged inactive); Small has S1 linked both ways (one person) and S2 by a relation that ended.
 */
const DATA: CrmData = {
  accounts: [
    { id: 'B1', name: 'Linked' },
    { id: 'B2', name: 'Related' },
    { id: 'B3', name: 'Small' },
  ],
  persons: [
    { id: 'Q1', email: 'q1@linked.example', jobTitle: 'VP Sales', account: 'B1' },
    { id: 'Q2', email: 'q2@linked.example', account: 'B1' },
    { id: 'Q3', email: 'q3@linked.example', account: 'B1' },
    { id: 'R1', email: 'r1@related.example', jobTitle: 'VP Marketing' },
    { id: 'R2', email: 'r2@related.example' },
    { id: 'R3', email: 'r3@related.example' },
    { id: 'S1', email: 's1@small.example', account: 'B3' },
    { id: 'S2', email: 's2@small.example' },
  ],
  relations: [
    { id: 'X1', account: 'B2', person: 'R1', role: 'Champion', isActive: true },
    { id: 'X2', account: 'B2', person: 'R2', role: 'Decision Maker', isPrimary: true },
    { id: 'X3', account: 'B2', person: 'R3', role: 'User', isActive: false },
    { id: 'X4', account: 'B3', person: 'S1', role: 'champion', isActive: true },
    { id: 'X5', account: 'B3', person: 'S2', role: 'User', endDate: '2026-06-14' },
  ],
};

const workspace = useSegmentWorkspace();
const segments: SegmentDefinition[] = [];
let sandbox: string;

function account(name: string, persons: Condition['persons']): string {
  segments.push({ name, subject: 'account', where: { persons } });
  return name;
}
const members = (name: string) => memberLabels(workspace.pool, sandbox, name);

const activeAtLeastTwo = account('active-at-least-two', { active: true, count: { gte: 2 } });
const atLeastThree = account('at-least-three', { count: { gte: 3 } });
const exactlyTwo = account('exactly-two', { count: { eq: 2 } });
const champions = account('champions', { role: ['Champion'] });
const primaryThree = account('primary-three', { primary: true, count: { gte: 3 } });
const inactive = account('inactive', { active: false });
const activeVps = account('active-vps', {
  active: true,
  where: { attribute: 'jobTitle', op: 'startsWith', value: 'VP' },
});

beforeAll(async () => {
  const created = await workspace.newSandbox('segaccp');
  sandbox = created.sandbox;
  await writeConfig(created.dir, Object.fromEntries(segments.map((s) => [`segments/${s.name}.yaml`, segmentYaml(s)])));
  await writeCrmData(created.dir, DATA);
  await workspace.applyAndLoad(created.dir, sandbox);
  for (const segment of await readAppliedSegments(workspace.pool, sandbox))
    await evaluateSegment(workspace.pool, sandbox, segment, NOW);
}, 120_000);

describe("an account's persons: linked by their account or by relation rows, one rule for both", () => {
  it('active holds for a person whose account it is and for an active relation row', async () => {
    expect(await members(activeAtLeastTwo)).toEqual(['Linked', 'Related']);
    expect(await members(activeVps)).toEqual(['Linked', 'Related']);
  });

  it('counts each person once, however many links it has', async () => {
    expect(await members(atLeastThree)).toEqual(['Linked', 'Related']);
    expect(await members(exactlyTwo)).toEqual(['Small']);
  });

  it("role reads relation rows only; a person's own account is a primary link", async () => {
    expect(await members(champions)).toEqual(['Related', 'Small']);
    expect(await members(primaryThree)).toEqual(['Linked']);
  });

  it('active: false keeps persons with an inactive or ended relation row', async () => {
    expect(await members(inactive)).toEqual(['Related', 'Small']);
  });
});

describe('explain', () => {
  it("lists an account's persons from both kinds of link", async () => {
    const segment = (await readAppliedSegments(workspace.pool, sandbox)).find((s) => s.name === exactlyTwo)!;
    const { rows } = await workspace.pool.query<{ id: string }>(
      `select id from roster_${sandbox}.accounts where name = 'Small'`,
    );
    const explained = await explainSegment(workspace.pool, sandbox, segment, Number(rows[0]!.id), NOW);
    expect(explained).toMatchObject({ description: 'persons count = 2', held: true });
    expect([...(explained.evidence ?? [])].sort()).toEqual(['s1@small.example', 's2@small.example']);
  });
});
