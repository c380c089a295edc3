import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AcmeDataOptions, AcmeDataSummary } from './acme-data-options';
import { makeContext } from './context';
import type { OutputFile } from './csv';
import { generateMarketo } from './generate-marketo';
import { generateSalesforce } from './generate-salesforce';
import { marketoFiles } from './marketo-files';
import { salesforceFiles } from './salesforce-files';
import { webEventsFile } from './web-events';

/**
 * Writes the Acme Analytics data set under `options.outDir`.
 *
 * The same seed, `now` and scale always produce byte-identical files.
 * @returns the files written, in a fixed order, with their record counts.
 */
export async function generateAcmeData(options: AcmeDataOptions): Promise<AcmeDataSummary> {
  const ctx = makeContext(options);
  const crm = generateSalesforce(ctx);
  const marketo = generateMarketo(ctx, crm);
  const outputs: OutputFile[] = [
    ...salesforceFiles(crm),
    ...marketoFiles(marketo),
    { path: 'events/web-events.ndjson', ...webEventsFile(ctx, marketo.leads) },
  ];
  for (const file of outputs) {
    const target = path.join(options.outDir, ...file.path.split('/'));
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await fs.promises.writeFile(target, file.content, 'utf8');
  }
  return { files: outputs.map((f) => ({ path: f.path, records: f.records })) };
}
