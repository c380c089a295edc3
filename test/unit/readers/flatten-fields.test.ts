import { describe, expect, it } from 'vitest';
import { flattenFields, getField } from '../../../engine/ingest/readers/flatten-fields';

const contact = {
  attributes: { type: 'Contact', referenceId: 'ref0030S00000DL1xgQAD' },
  Account: { Name: 'Edge Communications', Owner: { Email: null } },
  'Account.Name': 'as a CSV header',
  Emails: [{ Address: 'rose@edge.com' }],
  Empty: {},
};

describe('getField', () => {
  it('walks nested objects by dotted path', () => {
    expect(getField(contact, 'attributes.referenceId')).toBe('ref0030S00000DL1xgQAD');
    expect(getField(contact, 'Account.Owner.Email')).toBeNull();
  });

  it('prefers a key that holds the dots itself, as CSV headers write them', () => {
    expect(getField(contact, 'Account.Name')).toBe('as a CSV header');
    expect(getField({ 'a.b': { c: 1 } }, 'a.b.c')).toBe(1);
  });

  it('enters arrays by index only, and finds nothing for missing or inherited keys', () => {
    expect(getField(contact, 'Emails.0.Address')).toBe('rose@edge.com');
    expect(getField(contact, 'Emails.length')).toBeUndefined();
    expect(getField(contact, 'Account.Phone')).toBeUndefined();
    expect(getField(contact, 'attributes.type.length')).toBeUndefined();
    expect(getField(contact, '__proto__')).toBeUndefined();
    expect(getField(contact, 'attributes.constructor')).toBeUndefined();
  });
});

describe('flattenFields', () => {
  it('spreads nested objects into dotted keys, keeping arrays and empty objects as values', () => {
    expect(flattenFields(contact)).toEqual({
      'attributes.type': 'Contact',
      'attributes.referenceId': 'ref0030S00000DL1xgQAD',
      'Account.Name': 'as a CSV header',
      'Account.Owner.Email': null,
      Emails: [{ Address: 'rose@edge.com' }],
      Empty: {},
    });
  });
});
