import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../engine/config/problem';
import { allowListedEnv } from '../../engine/config/render-template';
import { configFromText, segmentYaml } from '../support/config-from-text';

describe('parseConfig', () => {
  it('reads every document of a multi-document YAML file and a JSON array, keeping Kind/name keys', () => {
    const yaml = `${segmentYaml('a', 'attribute: email\nop: exists')}---\n${segmentYaml('b', 'attribute: email\nop: exists')}`;
    const json = JSON.stringify([
      JSON.parse(
        JSON.stringify({
          apiVersion: 'roster/v1',
          kind: 'Segment',
          metadata: { name: 'c' },
          spec: { subject: 'person', where: { attribute: 'email', op: 'exists' } },
        }),
      ),
    ]);
    const { resources, problems } = configFromText({ 'two.yaml': yaml, 'one.json': json });
    expect(problems).toEqual([]);
    expect(resources.map((r) => r.key)).toEqual(['Segment/a', 'Segment/b', 'Segment/c']);
    expect(resources[1]!.origin.documentIndex).toBe(1);
    expect(resources[2]!.origin.pointerPrefix).toBe('/0');
  });

  it('points a schema error in the second document at the offending key of that document', () => {
    const yaml = `${segmentYaml('a', 'attribute: email\nop: exists')}---\n${segmentYaml('b', 'attribute: email\nop: exist')}`;
    const { problems } = configFromText({ 'seg.yaml': yaml });
    expect(problems.map(formatProblem)).toEqual([
      'CONFIG_SCHEMA seg.yaml:19:5 /spec/where/op: "exist" is not allowed; must be one of eq, neq, in, notIn, contains, startsWith, endsWith, matches, gt, gte, lt, lte, between, before, after, within, olderThan, exists, notExists; did you mean "exists"?',
    ]);
  });

  it('points inside JSON files as precisely as inside YAML', () => {
    const json =
      '{\n  "apiVersion": "roster/v1",\n  "kind": "Segment",\n  "metadata": { "name": "Bad_Name" },\n  "spec": { "subject": "person", "where": { "attribute": "email", "op": "exists" } }\n}\n';
    const { problems } = configFromText({ 'seg.json': json });
    expect(problems.map((p) => [p.line, p.column, p.pointer])).toEqual([[4, 17, '/metadata/name']]);
  });

  it('renders templates with the sandbox and allow-listed env, and secret() as a reference, never the value', () => {
    const yaml = `apiVersion: roster/v1
kind: Source
metadata:
  name: events-{{ sandbox }}
  description: '{{ env.ROSTER_VAR_TEAM }}'
spec:
  type: http
  http:
    token: '{{ secret("EVENTS_TOKEN") }}'
  objects:
    - { name: events, entity: event }
`;
    const env = allowListedEnv({ ROSTER_VAR_TEAM: 'growth', EVENTS_TOKEN: 'hunter2', HOME: '/root' });
    expect(env).toEqual({ ROSTER_VAR_TEAM: 'growth' });
    const { resources, problems } = configFromText({ 'src.yaml': yaml }, { sandbox: 'prod', env });
    expect(problems).toEqual([]);
    const [source] = resources;
    expect(source!.name).toBe('events-prod');
    expect(source!.metadata.description).toBe('growth');
    expect(JSON.stringify(source!.spec)).toContain('"token":"secret://EVENTS_TOKEN"');
    expect(JSON.stringify(resources)).not.toContain('hunter2');
  });

  it('reports an env variable that is not allow-listed as a template problem that says how to allow it', () => {
    const { problems } = configFromText(
      { 'a.yaml': 'x: {{ env.HOME }}\n' },
      { env: allowListedEnv({ HOME: '/root' }) },
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]!.code).toBe('CONFIG_TEMPLATE');
    expect(problems[0]!.message).toContain('ROSTER_ENV_ALLOW');
    expect(problems[0]!.message).not.toContain('/root');
  });

  it('refuses a plain-text secret and does not echo its value', () => {
    const yaml = `apiVersion: roster/v1
kind: Source
metadata: { name: events }
spec:
  type: http
  http: { token: sup3r-s3cret-t0ken }
  objects: [{ name: events, entity: event }]
`;
    const { problems } = configFromText({ 'src.yaml': yaml });
    expect(problems.map((p) => [p.code, p.line, p.column, p.pointer])).toEqual([
      ['CONFIG_SECRET_PLAINTEXT', 6, 11, '/spec/http/token'],
    ]);
    expect(problems.map(formatProblem).join('\n')).not.toContain('sup3r');
  });

  it('reports a document that is not a mapping as not a resource (a list: each entry)', () => {
    const { problems } = configFromText({ 'list.yaml': '- just\n- a list\n', 'text.yaml': 'just text\n' });
    expect(problems.map((p) => [p.file, p.line, p.pointer, p.code])).toEqual([
      ['list.yaml', 1, '/0', 'CONFIG_NOT_RESOURCE'],
      ['list.yaml', 2, '/1', 'CONFIG_NOT_RESOURCE'],
      ['text.yaml', 1, '', 'CONFIG_NOT_RESOURCE'],
    ]);
  });

  it('skips empty documents (a trailing ---) without a problem', () => {
    const { resources, problems } = configFromText({
      'a.yaml': `${segmentYaml('a', 'attribute: email\nop: exists')}---\n`,
    });
    expect(problems).toEqual([]);
    expect(resources).toHaveLength(1);
  });
});
