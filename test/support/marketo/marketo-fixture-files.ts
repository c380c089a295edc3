import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the recorded Marketo answers live (copied from embulk-input-marketo; see LICENSE-NOTE.md there). */
export const MARKETO_FIXTURES_DIR = join(__dirname, '..', '..', 'fixtures', 'marketo-api');

/** The bulk extract files served for each export kind; jobs of a kind take them in turn. */
export const EXTRACT_FILES = {
  leads: ['lead_extract1.csv', 'leads_extract2.csv'],
  activities: ['activity_extract1.csv', 'activity_extract2.csv'],
  'program/members': ['program_members_extract.csv'],
} as const;

/** Export kinds, as they appear in `/bulk/v1/{kind}/export`. */
export type ExportKind = keyof typeof EXTRACT_FILES;

/** Absolute path of a fixture file. */
export function fixturePath(name: string): string {
  return join(MARKETO_FIXTURES_DIR, name);
}

/** The exact bytes of a fixture file (tests compare downloaded files with these). */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(fixturePath(name));
}

/** A JSON fixture, parsed. */
export function fixtureJson<T>(name: string): T {
  return JSON.parse(readFileSync(fixturePath(name), 'utf8')) as T;
}

/** A recorded REST page as the fixtures hold it (`lists_response.json`, `lead_by_list.json`). */
export interface RecordedPage {
  requestId: string;
  success: boolean;
  result: Record<string, unknown>[];
  nextPageToken?: string;
  moreResult?: boolean;
}

/** The recorded pages of a paged REST fixture, in order. */
export function recordedPages(name: string): RecordedPage[] {
  return fixtureJson<{ responses: RecordedPage[] }>(name).responses;
}
