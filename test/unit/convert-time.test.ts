/**
 * `convertTime` reads common ISO 8601 values on a fast path and everything else with Luxon: both
 * must agree on every value, and impossible dates and years PostgreSQL refuses are errors.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { convertTime } from '../../engine/ingest/convert-time';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

describe('convertTime', () => {
  it('gives what Luxon gives for generated ISO values, impossible days included', () => {
    const iso = fc.record({
      year: fc.integer({ min: 1, max: 9999 }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 31 }),
      time: fc.option(
        fc.record({
          hour: fc.integer({ min: 0, max: 23 }),
          minute: fc.integer({ min: 0, max: 59 }),
          second: fc.integer({ min: 0, max: 59 }),
          millis: fc.option(fc.integer({ min: 0, max: 999 })),
          zone: fc.constantFrom('', 'Z', '+0000', '+05:30', '-08:00', '+14:00'),
          separator: fc.constantFrom('T', ' '),
        }),
      ),
    });
    fc.assert(
      fc.property(iso, ({ year, month, day, time }) => {
        let text = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
        if (time)
          text += `${time.separator}${pad(time.hour)}:${pad(time.minute)}:${pad(time.second)}${time.millis === null ? '' : `.${pad(time.millis, 3)}`}${time.zone}`;
        const luxon = DateTime.fromISO(text.replace(' ', 'T'), { zone: 'utc' }).toUTC();
        const result = convertTime(text, 'datetime');
        if (!luxon.isValid) expect(result).toEqual({ error: expect.stringContaining('is not a real date') });
        else if (luxon.year < 1) expect(result).toEqual({ error: expect.stringContaining('year 0 does not exist') });
        else expect(result).toEqual({ value: `${pad(luxon.year, 4)}-${luxon.toFormat("MM-dd'T'HH:mm:ss.SSS'Z'")}` });
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it('refuses year 0, 1900-02-30 and a value that is not ISO, saying what to set', () => {
    expect(convertTime('0000-01-01', 'date')).toEqual({
      error: '"0000-01-01" is in year 0, outside the years PostgreSQL stores (1 to 294276); year 0 does not exist',
    });
    expect(convertTime('1900-02-30', 'date')).toEqual({
      error: '"1900-02-30" is not a real date (you specified 30 (of type number) as a day, which is invalid)',
    });
    expect(convertTime('12/31/2024', 'date')).toEqual({
      error:
        '"12/31/2024" is not an ISO 8601 date (2026-01-31); set the field\'s format (e.g. MM/dd/yyyy) if it is written another way',
    });
    expect(convertTime('2024-01-31T23:30:00-05:00', 'date')).toEqual({ value: '2024-02-01' });
    // A reason is stored in a text column: the NUL it quotes is written \0.
    expect(convertTime('2024-05-01\u0000', 'date')).toEqual({
      error:
        '"2024-05-01\\0" is not an ISO 8601 date (2026-01-31); set the field\'s format (e.g. MM/dd/yyyy) if it is written another way',
    });
  });
});
