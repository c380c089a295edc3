import { promises as fs } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ATTRIBUTE_REFERENCE_PATH } from '../../engine/catalog/generate-attribute-reference';
import { renderAttributeReference } from '../../engine/catalog/render-attribute-reference';

describe('docs/attributes.md', () => {
  it('is what the catalog and the presets generate today (run `npm run gen:attributes` after changing them)', async () => {
    expect(await fs.readFile(ATTRIBUTE_REFERENCE_PATH, 'utf8')).toBe(renderAttributeReference());
  });

  it('lists the built-in attributes users look for, and the vendor field each preset fills them from', () => {
    const text = renderAttributeReference();
    for (const name of ['annualRevenue', 'leadStatus', 'jobTitle', 'isWon', 'personType'])
      expect(text).toContain(`| \`${name}\` |`);
    expect(text).toContain(
      '| `jobTitle` | string | Job title | `salesforce/Contact`: Title<br>`salesforce/Lead`: Title<br>`marketo/leads`: title |',
    );
    expect(text).toContain(
      '| `person` | `account` | `salesforce/Contact`: AccountId<br>`salesforce/Lead`: ConvertedAccountId<br>`marketo/leads`: sfdcAccountId |',
    );
  });
});
