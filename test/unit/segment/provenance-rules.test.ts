import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../../engine/config/problem';
import { validateConfig } from '../../../engine/rules/validate-config';
import { configFromText, segmentYaml } from '../../support/config-from-text';

const SOURCES = `apiVersion: roster/v1
kind: Source
metadata: { name: salesforce-crm }
spec:
  type: http
  http: { token: 'secret://T' }
  objects: [{ name: contacts, entity: person, identities: { email: email } }]
---
apiVersion: roster/v1
kind: Source
metadata: { name: marketo }
spec:
  type: http
  http: { token: 'secret://T' }
  objects: [{ name: leads, entity: person, identities: { ecid: ecid } }]
---
apiVersion: roster/v1
kind: IdentityMapping
metadata: { name: ids }
spec:
  sources: [salesforce-crm, marketo]
  person:
    namespaces:
      - { name: email, type: email }
      - { name: ecid, type: ecid }
  account:
    namespaces:
      - { name: domain, type: domain }
`;

function check(where: string, subject = 'person', extra = '') {
  const segment = segmentYaml('s', where, extra).replace('subject: person', `subject: ${subject}`);
  const { resources, problems } = configFromText({ 'sources.yaml': SOURCES, 's.yaml': segment });
  expect(problems).toEqual([]);
  return validateConfig(resources, { allowedPrivateHosts: [] });
}
const messages = (where: string, subject = 'person') => check(where, subject).problems.map(formatProblem);

describe('fromSource and hasIdentity conditions', () => {
  it('accept declared sources and namespaces, for persons and accounts and under relations', () => {
    const where = `all:
  - fromSource: marketo
  - not: { fromSource: salesforce-crm }
  - hasIdentity: ecid
  - account: { hasIdentity: domain }`;
    expect(messages(where)).toEqual([]);
    expect(messages('persons: { where: { fromSource: marketo } }', 'account')).toEqual([]);
    expect(messages('all: [{ fromSource: marketo }, { hasIdentity: domain }]', 'account')).toEqual([]);
  });

  it('report an unknown source where it is named, with "did you mean"', () => {
    expect(messages('fromSource: salesforce-cmr')).toEqual([
      'CONFIG_UNKNOWN_REFERENCE s.yaml:8:5 /spec/where/fromSource: Source/salesforce-cmr is not declared; did you mean "salesforce-crm"?',
    ]);
  });

  it('report an unknown namespace, and a namespace of the other entity', () => {
    expect(messages('any: [{ hasIdentity: ecd }, { hasIdentity: phone }, { hasIdentity: domain }]')).toEqual([
      'CONFIG_UNKNOWN_REFERENCE s.yaml:8:13 /spec/where/any/0/hasIdentity: identity namespace "ecd" is not declared for persons; did you mean "ecid"?',
      'CONFIG_UNKNOWN_REFERENCE s.yaml:8:35 /spec/where/any/1/hasIdentity: identity namespace "phone" is not declared for persons; person namespaces: ecid, email',
      'CONFIG_UNKNOWN_REFERENCE s.yaml:8:59 /spec/where/any/2/hasIdentity: identity namespace "domain" is not declared for persons; it is an account namespace: test it under "account"',
    ]);
  });

  it('are refused where the scope is not a person or an account', () => {
    expect(messages('opportunities: { where: { fromSource: marketo } }')).toEqual([
      'CONFIG_CONDITION s.yaml:8:31 /spec/where/opportunities/where/fromSource: fromSource applies to persons and accounts (their records from a source), not to opportunity; use it in a person or account scope',
    ]);
  });

  it('stream on a person (its own records), and go to batch under a relation', () => {
    const person = check(
      'all: [{ fromSource: marketo }, { hasIdentity: ecid }]',
      'person',
      '  evaluation: streaming\n',
    );
    expect(person.problems).toEqual([]);
    expect(person.segments[0]!.evaluation.mode).toBe('streaming');
    const account = check('account: { hasIdentity: domain }');
    expect(account.segments[0]!.evaluation).toMatchObject({
      mode: 'batch',
      reason: '/spec/where/account reads account (multi-entity)',
    });
  });

  it('make the segment depend on the source (applied after it)', () => {
    const { graph } = check('fromSource: marketo');
    expect([...(graph.dependencies.get('Segment/s') ?? [])]).toEqual(['Source/marketo']);
  });
});

describe('hasIdentity when an identity mapping has problems of its own', () => {
  it('says its namespaces are unknown until they are fixed, rather than only that the namespace is undeclared', () => {
    const broken = SOURCES.replace('sources: [salesforce-crm, marketo]', 'sources: salesforce-crm');
    const { resources, declaredKeys } = configFromText({
      'sources.yaml': broken,
      's.yaml': segmentYaml('s', 'hasIdentity: ecid'),
    });
    const { problems } = validateConfig(resources, { allowedPrivateHosts: [], declaredKeys });
    expect(problems.filter((p) => p.file === 's.yaml').map(formatProblem)).toEqual([
      'CONFIG_UNKNOWN_REFERENCE s.yaml:8:5 /spec/where/hasIdentity: identity namespace "ecid" is not declared for persons; no IdentityMapping declares person namespaces (namespaces declared in IdentityMapping/ids are unknown until its problems are fixed)',
    ]);
  });
});
