import { readMembers } from '../../../segment/read-members';
import type { ConsoleAnswer, ConsoleRequest } from '../console-page';
import { findSegment, unknownSegment } from './segment-page';

/** Members read per statement while writing the file. */
const CSV_PAGE = 1000;

/** `/segments/<name>/members.csv`: every member (or those matching `q`), as `roster segment members --format csv`. */
export async function segmentMembersCsv(request: ConsoleRequest): Promise<ConsoleAnswer> {
  const segment = await findSegment(request);
  if (!segment) return unknownSegment(request);
  const search = request.url.searchParams.get('q')?.trim() || undefined;
  const lines = ['subject_id,entered_at,label,detail'];
  for (let offset = 0; ; offset += CSV_PAGE) {
    const { members } = await readMembers(request.db, request.sandbox, segment.name, {
      limit: CSV_PAGE,
      offset,
      ...(search ? { search } : {}),
    });
    for (const m of members) lines.push([m.subjectId, m.enteredAt, m.label, m.detail].map(csvCell).join(','));
    if (members.length < CSV_PAGE) break;
  }
  return {
    kind: 'download',
    body: `${lines.join('\n')}\n`,
    type: 'text/csv; charset=utf-8',
    fileName: `${segment.name}-members.csv`,
  };
}

/** RFC 4180; a value a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) is prefixed with `'`, as file exports do. */
function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
