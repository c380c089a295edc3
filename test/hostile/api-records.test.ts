/**
 * API readers get records as parsed JSON: Salesforce query pages turn each record into a read item
 * after measuring it with JSON.stringify, which overflowed the stack on a record nested 100,000
 * deep and failed the whole read. Such a record is now a bad item with its position.
 */
import { describe, expect, it } from 'vitest';
import { toReadItem } from '../../engine/ingest/to-read-item';

const deep = (depth: number): unknown => JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);

describe('a Salesforce record nested 100,000 deep', () => {
  it('becomes a bad item at its position, and its neighbours stay records', () => {
    const position = { origin: 'Contact', index: 7 };
    expect(toReadItem({ Id: '003A', Notes__c: deep(100_000) }, position, { maxRecordBytes: 4 * 1024 ** 2 })).toEqual({
      bad: { position, reason: 'record nests objects or arrays more than 64 levels deep; flatten it before loading' },
    });
    const neighbour = toReadItem({ Id: '003B', Account: { Name: 'Acme' } }, { origin: 'Contact', index: 8 });
    expect(neighbour).toMatchObject({ record: { fields: { Id: '003B' } } });
  });
});
