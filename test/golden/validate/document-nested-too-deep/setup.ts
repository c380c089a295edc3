import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { nestedNegationsYaml } from '../../../support/nested-negations';

/**
 * Writes `negations.yaml`: a person segment whose condition is 150 nested `not:` in block style: deeper
 * than a document may be, shallow enough to parse, so the error points at the level too deep.
 */
export default async function setup(configDir: string): Promise<void> {
  await fs.writeFile(path.join(configDir, 'negations.yaml'), nestedNegationsYaml(150));
}
