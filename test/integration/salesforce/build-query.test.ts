/**
 * The pure parts the reader relies on: the SOQL `buildQuery` writes, and how `laterWatermark`
 * keeps the latest datetime whatever form Salesforce or the user wrote it in.
 */
import { describe, expect, it } from 'vitest';
import { buildQuery } from '../../../engine/vendors/salesforce/build-query';
import { laterWatermark, parseSalesforceDatetime } from '../../../engine/vendors/salesforce/later-watermark';

describe('buildQuery', () => {
  it('selects the fields without a WHERE clause when there is no previous watermark', () => {
    expect(buildQuery({ object: 'Account', fields: ['Id', 'Name'] })).toBe('SELECT Id, Name FROM Account');
    expect(buildQuery({ object: 'Account', fields: ['Id', 'Name'], watermarkField: 'SystemModstamp' })).toBe(
      'SELECT Id, Name, SystemModstamp FROM Account ORDER BY SystemModstamp ASC, Id ASC',
    );
  });

  it('filters on the watermark as an unquoted UTC literal, whatever zone it was written in', () => {
    const spec = {
      object: 'Contact',
      fields: ['Id', 'Account.Name', 'systemmodstamp'],
      watermarkField: 'SystemModstamp',
    };
    const expected =
      'SELECT Id, Account.Name, systemmodstamp FROM Contact WHERE SystemModstamp > 2026-01-01T00:00:00.000Z ORDER BY SystemModstamp ASC, Id ASC';
    expect(buildQuery({ ...spec, since: '2026-01-01T00:00:00.000+0000' })).toBe(expected);
    expect(buildQuery({ ...spec, since: '2026-01-01T01:00:00+01:00' })).toBe(expected);
    expect(buildQuery({ ...spec, since: '2026-01-01T00:00:00Z' })).toBe(expected);
  });

  it('refuses what it cannot put into SOQL safely, saying what to write instead', () => {
    expect(() => buildQuery({ object: 'Lead', fields: [] })).toThrow('has no fields: list at least one field');
    expect(() => buildQuery({ object: 'Lead', fields: ['Id'], since: '2026-01-01T00:00:00Z' })).toThrow(
      'has a "since" value but no watermark field',
    );
    for (const since of [
      '2026-01-01',
      '2026-01-01T00:00:00',
      '2026-02-30T00:00:00Z',
      '2026-01-01T24:00:00Z',
      'yesterday',
    ]) {
      expect(() => buildQuery({ object: 'Lead', fields: ['Id'], watermarkField: 'SystemModstamp', since })).toThrow(
        `Invalid watermark "${since}" for Lead: expected an ISO 8601 datetime with a zone, e.g. 2026-01-01T00:00:00.000Z.`,
      );
    }
  });
});

describe('laterWatermark', () => {
  it('keeps the latest instant as UTC ISO, comparing instants rather than text', () => {
    let watermark: string | undefined;
    for (const value of ['2026-01-01T00:05:00.000+0000', '2026-01-01T01:00:00.000+01:00', null, 'not a date', 42]) {
      watermark = laterWatermark(watermark, value);
    }
    expect(watermark).toBe('2026-01-01T00:05:00.000Z');
    expect(laterWatermark(watermark, '2026-01-01T00:05:00.001+0000')).toBe('2026-01-01T00:05:00.001Z');
    expect(laterWatermark(undefined, undefined)).toBeUndefined();
  });

  it('parses the forms Salesforce writes and refuses partial datetimes', () => {
    expect(parseSalesforceDatetime('2026-01-01T00:05:00.000+0000')?.toISOString()).toBe('2026-01-01T00:05:00.000Z');
    expect(parseSalesforceDatetime('2025-12-31T19:05:00-05:00')?.toISOString()).toBe('2026-01-01T00:05:00.000Z');
    expect(parseSalesforceDatetime('2026-01-01T00:05')).toBeUndefined();
  });
});
