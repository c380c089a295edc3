import { describe, expect, it } from 'vitest';
import { checkPushedRecord } from '../../../engine/ingest/check-pushed-record';
import { checkRecordShape, MAX_RECORD_DEPTH } from '../../../engine/ingest/check-record-shape';

/** `{ a: [[...]] }` whose innermost array is at nesting level `levels` (the record is level 1). */
function nested(levels: number): object {
  return JSON.parse(`{"a":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`);
}

describe('checkRecordShape', () => {
  it('accepts records up to the depth limit, unicode of every plane, and keys such as __proto__', () => {
    expect(checkRecordShape(nested(MAX_RECORD_DEPTH))).toBeUndefined();
    const unusual = JSON.parse(
      '{"__proto__": {"constructor": "x"}, "a.b": "\\u2028\\u2029\\ufeff\\uffff\\ud83d\\ude00 e\\u0301 \\u202e", "\\ud800\\udc00": 1}',
    );
    expect(checkRecordShape(unusual)).toBeUndefined();
  });

  it('names the path where a record nests past the limit, even 100,000 deep', () => {
    const path = `a${'.0'.repeat(MAX_RECORD_DEPTH - 1)}`;
    const expected = { field: path, reason: `nested more than 32 levels deep (at ${path}); send flatter records` };
    expect(checkRecordShape(nested(MAX_RECORD_DEPTH + 1))).toEqual(expected);
    expect(checkRecordShape(nested(100_000))).toEqual(expected);
  });

  it('finds NUL and unpaired surrogates in values and keys at any depth, printing them escaped', () => {
    expect(checkRecordShape({ a: { b: ['ok', 'x\u0000y'] } })).toEqual({
      field: 'a.b.1',
      reason: 'a.b.1: the value holds a NUL character (\\u0000), which PostgreSQL text cannot store',
    });
    expect(checkRecordShape({ a: { 'k\u0000': 1 } })).toEqual({
      field: 'a.k\\u0000',
      reason: 'a.k\\u0000: the field name holds a NUL character (\\u0000), which PostgreSQL text cannot store',
    });
    const surrogate =
      'the value holds an unpaired UTF-16 surrogate (an escape such as \\ud800 alone), which is not Unicode text';
    for (const text of ['\ud800', 'a\udfff', '\udc00\ud800', 'x\ud83d'])
      expect(checkRecordShape({ v: text }), JSON.stringify(text)).toEqual({ field: 'v', reason: `v: ${surrogate}` });
    expect(checkRecordShape({ '\ud800': 1 })?.field).toBe('\\ud800');
  });
});

describe('checkPushedRecord', () => {
  it('turns non-objects, bad shapes and oversized records into bad records with their index; keeps the others', () => {
    const position = { origin: 'request', index: 4 };
    expect(checkPushedRecord('text', 4, 1024)).toEqual({
      bad: { position, reason: 'the record is a string, not a JSON object', raw: '"text"' },
    });
    expect(checkPushedRecord(null, 4, 1024)).toMatchObject({
      bad: { reason: 'the record is null, not a JSON object' },
    });
    expect(checkPushedRecord(JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`), 4, 1024)).toEqual({
      bad: { position, reason: 'the record is an array, not a JSON object' },
    });
    expect(checkPushedRecord({ a: 'x'.repeat(2000) }, 4, 1024)).toMatchObject({
      bad: {
        position,
        reason: "the record is 2008 bytes as JSON, over the source's 1024-byte limit (badRecords.maxRecordBytes)",
      },
    });
    expect(checkPushedRecord({ a: 'é' }, 4, 1024)).toEqual({ record: { fields: { a: 'é' }, position, bytes: 10 } });
  });
});
