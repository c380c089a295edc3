import { existsSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** One known nunjucks template-injection payload, with where it was published. */
export interface TemplatePayload {
  name: string;
  source: string;
  template: string;
}

const CORPUS = path.join(__dirname, '..', 'fixtures', 'template-injection', 'payloads.json');

/** The environment variable the payloads try to read, and the value that must never be printed. */
export const SECRET_NAME = 'ROSTER_HOSTILE_SECRET';
export const SECRET_VALUE = 'hostile-secret-7f3a9c1e5b';

/**
 * The corpus with its placeholders filled: `__MARKER__` is a file a successful payload would
 * create (unique per run), `__SECRET__` the variable above.
 */
export function loadTemplatePayloads(): { payloads: TemplatePayload[]; marker: string } {
  const marker = path.join(os.tmpdir(), `roster-pwned-${process.pid}-${Date.now()}`);
  const corpus = JSON.parse(readFileSync(CORPUS, 'utf8')) as { payloads: TemplatePayload[] };
  const payloads = corpus.payloads.map((payload) => ({
    ...payload,
    template: payload.template.replaceAll('__MARKER__', marker).replaceAll('__SECRET__', SECRET_NAME),
  }));
  return { payloads, marker };
}

/** Whether a payload ran: the marker file exists. */
export function markerExists(marker: string): boolean {
  return existsSync(marker);
}

/** A resource file whose description is `template` (a block scalar takes any text). */
export function resourceFileWith(name: string, template: string): string {
  const indented = template
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
  return `apiVersion: roster/v1\nkind: Segment\nmetadata:\n  name: ${name}\n  description: |\n${indented}\nspec:\n  subject: person\n  where: { all: [] }\n`;
}
