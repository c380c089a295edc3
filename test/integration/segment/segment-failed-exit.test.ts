import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../engine/cli/main';
import { captureIo } from '../../support/capture-io';
import { useSandboxes } from '../../support/use-sandboxes';

const SEGMENT = `apiVersion: roster/v1
kind: Segment
metadata: { name: with-email }
spec:
  subject: person
  where: { attribute: email, op: exists }
`;

const sandboxes = useSandboxes('roster-segment-failed-');

describe('a segment that no longer checks against the catalog', () => {
  it('makes roster segment sql exit 1 with one SEGMENT_FAILED line naming it, no stack trace', async () => {
    const { sandbox, dir } = await sandboxes.create('segfail');
    await fs.writeFile(path.join(dir, 'with-email.yaml'), SEGMENT);
    expect(await main(['apply', '.', '--sandbox', sandbox, '--yes'], captureIo(dir, sandboxes.env))).toBe(0);
    // As if a source's custom field the segment read had been removed by a later apply.
    await sandboxes.pool.query(
      `update roster_${sandbox}.resources set document = jsonb_set(document, '{spec,where,attribute}', '"gone"')
       where kind = 'Segment'`,
    );
    const io = captureIo(dir, sandboxes.env);
    expect(await main(['segment', 'sql', 'with-email', '--sandbox', sandbox], io)).toBe(1);
    expect(io.err.join('')).toBe(
      'SEGMENT_FAILED Segment/with-email revision 1 no longer checks against the attribute catalog (a custom field it reads was removed); fix it and run roster apply\n',
    );
    expect(io.out.join('')).toBe('');
  });
});
