import { promises as fs, readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { main } from '../../engine/cli/main';
import { captureIo } from '../support/capture-io';
import { expectGolden } from '../support/golden';

/**
 * Each folder under test/golden/validate is one scenario: `config/` holds the resource files,
 * `expected.txt` what `roster validate config` prints followed by `[exit N]`. Optional: `env`
 * (KEY=VALUE lines) for the environment, and `setup.ts` whose default export receives the copied
 * config directory, for inputs too large or too odd to commit (multi-megabyte files).
 */
const SCENARIOS = path.join(__dirname, '..', 'golden', 'validate');
const work = fs.mkdtemp(path.join(os.tmpdir(), 'roster-golden-'));

afterAll(async () => fs.rm(await work, { recursive: true, force: true }));

describe('roster validate on invalid (and valid) configurations prints exactly the golden output', () => {
  const names = readdirSync(SCENARIOS).sort();
  it.each(names)('%s', async (name) => {
    const scenario = path.join(SCENARIOS, name);
    const cwd = path.join(await work, name);
    await fs.cp(path.join(scenario, 'config'), path.join(cwd, 'config'), { recursive: true });
    const setup = path.join(scenario, 'setup.ts');
    if (await exists(setup)) await (await import(setup)).default(path.join(cwd, 'config'));
    const io = captureIo(cwd, await readEnv(path.join(scenario, 'env')));
    const code = await main(['validate', 'config'], io);
    const output = `${io.out.join('')}${io.err.join('')}[exit ${code}]\n`;
    await expectGolden(output, path.join(scenario, 'expected.txt'));
  });
});

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

async function readEnv(file: string): Promise<NodeJS.ProcessEnv> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  const env: NodeJS.ProcessEnv = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) env[match[1]!] = match[2]!;
  }
  return env;
}
