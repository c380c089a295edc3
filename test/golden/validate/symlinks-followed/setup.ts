import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Links `segments/vp-contacts.yaml` to the ignored `shared/` copy: a link inside the directory is read. */
export default async function setup(configDir: string): Promise<void> {
  await fs.mkdir(path.join(configDir, 'segments'));
  await fs.symlink('../shared/vp-contacts.yaml', path.join(configDir, 'segments', 'vp-contacts.yaml'));
}
