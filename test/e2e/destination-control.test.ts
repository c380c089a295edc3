import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../engine/cli/main';
import { captureIo } from '../support/capture-io';
import { expectGolden } from '../support/golden';
import { useSandboxes } from '../support/use-sandboxes';

const GOLDEN = path.join(__dirname, '..', 'golden', 'cli-help');

const SEGMENT = `apiVersion: roster/v1
kind: Segment
metadata: { name: with-email }
spec:
  subject: person
  where: { attribute: email, op: exists }
`;
const DESTINATION = `apiVersion: roster/v1
kind: Destination
metadata: { name: exports }
spec:
  type: file
  file: { directory: /tmp/roster-destination-control-exports, format: csv }
  segments: [{ segment: with-email }]
`;

const sandboxes = useSandboxes('roster-destination-control-');
let sandbox: string;
let dir: string;

async function roster(args: string[]) {
  const io = captureIo(dir, sandboxes.env);
  const code = await main(args, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

beforeAll(async () => {
  ({ sandbox, dir } = await sandboxes.create('dctl'));
  await fs.writeFile(path.join(dir, 'with-email.yaml'), SEGMENT);
  await fs.writeFile(path.join(dir, 'exports.yaml'), DESTINATION);
  expect((await roster(['apply', '.', '--sandbox', sandbox, '--yes'])).code).toBe(0);
}, 60_000);

describe('destination pause and resume', () => {
  it('print JSON with --format json, and the state they set', async () => {
    const paused = await roster(['destination', 'pause', 'exports', '--sandbox', sandbox, '--format', 'json']);
    expect(paused.code).toBe(0);
    expect(JSON.parse(paused.out)).toMatchObject({ destination: 'exports', paused: true });
    const state = async () =>
      (
        await sandboxes.pool.query(`select paused from roster_${sandbox}.destination_state where destination = $1`, [
          'exports',
        ])
      ).rows[0];
    expect(await state()).toEqual({ paused: true });
    const resumed = await roster(['destination', 'resume', 'exports', '--sandbox', sandbox, '--format', 'json']);
    expect(JSON.parse(resumed.out)).toMatchObject({ destination: 'exports', paused: false });
    expect(await state()).toEqual({ paused: false });
  });

  it('keep the text output by default', async () => {
    const paused = await roster(['destination', 'pause', 'exports', '--sandbox', sandbox]);
    expect(paused.out).toBe('Destination/exports paused: changes accumulate until roster destination resume exports\n');
  });
});

describe('--help of commands that work in a sandbox without rendering files', () => {
  it.each(['run', 'segment members', 'destination pause'])('%s', async (command) => {
    const help = await roster([...command.split(' '), '--help']);
    expect(help.code).toBe(0);
    await expectGolden(help.out, path.join(GOLDEN, `${command.replace(' ', '-')}.txt`));
  });
});
