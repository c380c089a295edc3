import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../engine/config/problem';
import { validateConfig } from '../../engine/rules/validate-config';
import { configFromText, segmentYaml } from '../support/config-from-text';

function check(files: Record<string, string>) {
  const { resources, problems } = configFromText(files);
  expect(problems).toEqual([]);
  return validateConfig(resources, { allowedPrivateHosts: [] });
}

const messages = (files: Record<string, string>) => check(files).problems.map(formatProblem);

describe('segment conditions against the attribute catalog', () => {
  it('accepts every operator on an attribute of the type it applies to', () => {
    const where = `all:
  - { attribute: email, op: endsWith, value: "@acme.example" }
  - { attribute: jobTitle, op: matches, value: "^(VP|Chief)" }
  - { attribute: leadStatus, op: notIn, value: [Closed, Junk] }
  - { attribute: isConverted, op: eq, value: false }
  - { attribute: createdAt, op: within, value: 90d }
  - { attribute: convertedAt, op: between, value: ["2026-01-01", "2026-06-30T23:59:59Z"] }
  - { attribute: account.annualRevenue, op: between, value: [1000000, 5000000] }
  - account: { parent: { attribute: name, op: exists } }`;
    expect(messages({ 's.yaml': segmentYaml('s', where) })).toEqual([]);
  });

  it('names the allowed operators when one does not apply to the type', () => {
    expect(
      messages({ 's.yaml': segmentYaml('s', 'attribute: account.annualRevenue\nop: contains\nvalue: "1"') }),
    ).toEqual([
      'CONFIG_OPERATOR s.yaml:9:5 /spec/where/op: operator "contains" does not apply to number attribute "annualRevenue"; allowed: eq, neq, gt, gte, lt, lte, between, in, notIn, exists, notExists',
    ]);
  });

  it('checks values against the attribute type, durations and ranges', () => {
    const where = `all:
  - { attribute: isConverted, op: eq, value: "yes" }
  - { attribute: createdAt, op: within, value: 30 days }
  - { attribute: account.numberOfEmployees, op: between, value: [500, 100] }
  - { attribute: email, op: exists, value: true }
  - { attribute: email, op: in, value: [] }`;
    expect(check({ 's.yaml': segmentYaml('s', where) }).problems.map((p) => [p.code, p.pointer, p.message])).toEqual([
      ['CONFIG_VALUE', '/spec/where/all/0/value', '"isConverted" is a boolean attribute; give true or false'],
      ['CONFIG_VALUE', '/spec/where/all/1/value', '"within" takes a duration such as "30d" (units m, h, d, w)'],
      ['CONFIG_VALUE', '/spec/where/all/2/value', 'the range [500, 100] is empty; write the lower bound first'],
      ['CONFIG_VALUE', '/spec/where/all/3/value', '"exists" takes no value; remove "value"'],
      ['CONFIG_VALUE', '/spec/where/all/4/value', '"in" takes a non-empty list of values'],
    ]);
  });

  it('knows custom fields declared by sources, with their type', () => {
    const source = `apiVersion: roster/v1
kind: Source
metadata: { name: mkto }
spec:
  type: http
  http: { token: 'secret://T' }
  customFields: [{ entity: person, name: leadScore, type: number }]
  objects: [{ name: leads, entity: person }]
`;
    expect(
      messages({ 'src.yaml': source, 's.yaml': segmentYaml('s', 'attribute: leadScore\nop: gte\nvalue: 50') }),
    ).toEqual([]);
    expect(
      messages({
        'src.yaml': source,
        's.yaml': segmentYaml('s', 'attribute: leadScore\nop: startsWith\nvalue: "5"'),
      })[0],
    ).toContain('operator "startsWith" does not apply to number attribute "leadScore"');
  });

  it('refuses relations and filters that do not exist from the current entity', () => {
    const where = `any:
  - persons: { where: { attribute: email, op: exists } }
  - campaigns: { role: [Owner] }
  - opportunities: { where: { events: { type: web.visit } } }`;
    expect(check({ 's.yaml': segmentYaml('s', where) }).problems.map((p) => [p.pointer, p.message])).toEqual([
      [
        '/spec/where/any/0/persons',
        '"persons" cannot be followed from person; from person you can follow: account, opportunities, accountRelations, campaigns, lists',
      ],
      ['/spec/where/any/1/campaigns/role', '"role" does not apply to "campaigns" from person; it takes status'],
      [
        '/spec/where/any/2/opportunities/where/events',
        'events belong to persons, not to opportunity; put the events condition under "persons" or in a person segment',
      ],
    ]);
  });

  it('requires exactly one kind of node per condition', () => {
    expect(
      check({ 's.yaml': segmentYaml('s', 'inSegment: a\nevents: { type: web.visit }') }).problems.map((p) => p.message),
    ).toContain(
      'one condition node holds events and inSegment; give each its own node and combine them with "all" or "any"',
    );
  });
});

describe('evaluation mode', () => {
  it('auto streams person-and-events segments and batches multi-entity ones, saying why', () => {
    const { segments } = check({
      'a.yaml': segmentYaml('a', 'events: { type: email.opened, within: 30d, count: { gte: 3 } }'),
      'b.yaml': segmentYaml('b', 'all:\n  - inSegment: a\n  - { attribute: account.industry, op: eq, value: Retail }'),
    });
    expect(segments.map((s) => [s.resource.name, s.evaluation.mode, s.evaluation.reason])).toEqual([
      ['a', 'streaming', "reads only the person's attributes, events and segment memberships"],
      ['b', 'batch', '/spec/where/all/1 reads account.industry (multi-entity)'],
    ]);
  });

  it('refuses streaming on a multi-entity segment and says how to split it', () => {
    const files = {
      'b.yaml': segmentYaml(
        'b',
        'opportunities: { where: { attribute: isClosed, op: eq, value: false } }',
        '  evaluation: streaming\n',
      ),
    };
    expect(messages(files)).toEqual([
      'CONFIG_STREAMING b.yaml:7:3 /spec/evaluation: streaming is not possible: condition /spec/where/opportunities reads opportunities (multi-entity); split it into a batch segment for the multi-entity part and reference it with `inSegment` from a streaming segment that keeps only person attributes and events',
    ]);
  });
});
