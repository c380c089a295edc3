/**
 * Writes `docs/attributes.md` from the built-in catalog and the source presets. Run
 * `npm run gen:attributes` after changing either; a test fails while the committed file is stale.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { renderAttributeReference } from './render-attribute-reference';

export const ATTRIBUTE_REFERENCE_PATH = path.join(__dirname, '..', '..', 'docs', 'attributes.md');

if (require.main === module) {
  fs.writeFile(ATTRIBUTE_REFERENCE_PATH, renderAttributeReference()).then(
    () => console.log(`wrote ${path.relative(process.cwd(), ATTRIBUTE_REFERENCE_PATH)}`),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
