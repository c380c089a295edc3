import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { nestedNegationsYaml } from '../../../support/nested-negations';

/**
 * Writes three texts nested far too deep to parse safely, read in one process: the 700 nested `not:`
 * that crashed plan and apply, 100,000 nested JSON brackets and 5,000 compact `- - -` list items.
 * Parsing any of them recursed out of stack, and a later one could abort the process outright.
 */
export default async function setup(configDir: string): Promise<void> {
  await fs.writeFile(path.join(configDir, 'negations.yaml'), nestedNegationsYaml(700));
  await fs.writeFile(path.join(configDir, 'brackets.json'), `${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
  await fs.writeFile(path.join(configDir, 'items.yaml'), `labels:\n  ${'- '.repeat(5_000)}x\n`);
}
