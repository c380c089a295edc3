import * as path from 'node:path';
import type { ValidateFunction } from 'ajv/dist/2020';
import type { AudienceTestSpec } from '../../schemas/generated/resource-types';
import audienceTestSchema from '../../schemas/v1/audience-test.schema.json';
import { decodeText } from '../config/decode-text';
import { mapSchemaErrors } from '../config/map-schema-errors';
import { isAudienceTest } from '../config/parse-config';
import { parseDocuments } from '../config/parse-documents';
import type { Problem } from '../config/problem';
import type { ConfigFile } from '../config/read-config-files';
import { renderTemplate, type TemplateContext } from '../config/render-template';
import { createSchemaAjv } from '../config/schema-validator';
import type { AudienceTest } from './audience-test';

let validator: ValidateFunction | undefined;

/**
 * The `AudienceTest` documents of the config files, schema-checked; every other document is left to
 * the resource loader. Problems are `CONFIG_TEST`, located in the test file. Pure: the caller reads the files.
 */
export function parseAudienceTests(
  files: readonly ConfigFile[],
  context: TemplateContext,
): { tests: AudienceTest[]; problems: Problem[] } {
  const tests: AudienceTest[] = [];
  const problems: Problem[] = [];
  for (const file of files) {
    const decoded = decodeText(file.bytes, file.displayPath);
    const rendered = 'problem' in decoded ? decoded : renderTemplate(decoded.text, file.displayPath, context);
    // A file that cannot be decoded, rendered or parsed is reported by the resource loader already.
    if ('problem' in rendered) continue;
    for (const document of parseDocuments(rendered.text, file.displayPath).documents) {
      if (!isAudienceTest(document.value)) continue;
      validator ??= compileValidator();
      if (!validator(document.value)) {
        const found = mapSchemaErrors(validator.errors ?? [], document);
        problems.push(...found.map((p) => ({ ...p, code: 'CONFIG_TEST' as const })));
        continue;
      }
      const value = document.value as { metadata: { name: string }; spec: AudienceTestSpec };
      tests.push({
        name: value.metadata.name,
        file: file.displayPath,
        dir: path.dirname(file.absolutePath),
        spec: value.spec,
        locate: document.locate,
      });
    }
  }
  return { tests, problems };
}

function compileValidator(): ValidateFunction {
  // The resource validators' Ajv (options, keywords, metadata schema), so errors map the same way.
  return createSchemaAjv().compile(audienceTestSchema);
}
