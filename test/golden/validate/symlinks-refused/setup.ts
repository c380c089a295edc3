import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * Symbolic links Roster refuses: to a file outside the directory, to a directory, in a loop and to
 * nothing. A link to a file that is not a resource (`notes.txt`) is skipped like the file would be.
 */
export default async function setup(configDir: string): Promise<void> {
  await fs.writeFile(path.join(configDir, '..', 'outside.yaml'), 'apiVersion: roster/v1\nkind: Segment\n');
  await fs.symlink('../outside.yaml', path.join(configDir, 'outside.yaml'));
  await fs.mkdir(path.join(configDir, 'real-dir'));
  await fs.symlink('real-dir', path.join(configDir, 'linked-dir'));
  await fs.symlink('loop-b.yaml', path.join(configDir, 'loop-a.yaml'));
  await fs.symlink('loop-a.yaml', path.join(configDir, 'loop-b.yaml'));
  await fs.symlink('missing.yaml', path.join(configDir, 'dangling.yaml'));
  await fs.symlink('missing.txt', path.join(configDir, 'notes.txt'));
}
