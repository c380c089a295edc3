/**
 * Generates the "Acme Analytics" example data set: the CRM and marketing data of a fictional B2B
 * company selling a SaaS analytics product, written in the vendors' own export formats so that the
 * vendor presets (`salesforce/*`, `marketo/*`) and the HTTP ingest endpoint can read it unchanged.
 *
 * - `salesforce/*.csv`: Salesforce Weekly Data Export (every field quoted, CRLF, API field names).
 * - `marketo/*.csv`: Marketo bulk extracts (literal `null`, quoting only when needed, LF).
 * - `events/web-events.ndjson`: website and product events for the HTTP ingest endpoint.
 *
 * Everything is derived from one seeded PRNG and from `now`: the same (seed, now, scale) give
 * byte-identical files, and every timestamp is relative to `now` so that time-window segments
 * ("opened 3 emails within 30 days") keep having members whenever the data is regenerated.
 *
 * The generator is part of the engine, in `engine/demo/acme-data/` (one module per kind of record),
 * because `roster demo` generates the data when it is missing; this file is its command line.
 *
 * Run: `node bin/run-ts.js examples/acme/generate-data.ts [--out DIR] [--seed N] [--scale X] [--now ISO]`.
 */
import * as path from 'node:path';
import type { AcmeDataOptions } from '../../engine/demo/acme-data/acme-data-options';
import { generateAcmeData } from '../../engine/demo/acme-data/generate-acme-data';
import { at } from '../../engine/demo/acme-data/lists';

// ───────────────────────────── CLI ─────────────────────────────

const USAGE = 'usage: node bin/run-ts.js examples/acme/generate-data.ts [--out DIR] [--seed N] [--scale X] [--now ISO]';

function parseArgs(argv: readonly string[]): AcmeDataOptions {
  const options: AcmeDataOptions = { outDir: path.join('examples', 'acme', 'data') };
  for (let i = 0; i < argv.length; i++) {
    const arg = at(argv, i);
    const [flag, inline] = arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
    if (flag === '--out') options.outDir = value;
    else if (flag === '--seed') options.seed = parseNumber(flag, value, Number.isInteger);
    else if (flag === '--scale') options.scale = parseNumber(flag, value, (n) => n > 0);
    else if (flag === '--now') {
      options.now = new Date(value);
      if (Number.isNaN(options.now.getTime())) throw new Error(`--now: not a date: ${value}`);
    } else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  return options;
}

function parseNumber(flag: string, value: string, valid: (n: number) => boolean): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !valid(n)) throw new Error(`${flag}: invalid value ${value}`);
  return n;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const summary = await generateAcmeData(options);
  const width = Math.max(...summary.files.map((f) => f.path.length));
  for (const file of summary.files) {
    console.log(
      `${path.join(options.outDir, file.path).padEnd(width + options.outDir.length + 1)}  ${file.records} records`,
    );
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
