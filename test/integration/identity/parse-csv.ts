import { promises as fs } from 'node:fs';

/**
 * The records of a small CSV file as objects keyed by the header (RFC 4180: quoted fields, doubled
 * quotes, CRLF or LF). Written for the tests so that expectations do not come from the reader
 * under test. `nullValue` (Marketo's unquoted `null`) becomes the empty string.
 */
export async function readCsvRecords(file: string, nullValue?: string): Promise<Record<string, string>[]> {
  const [header, ...rows] = parseCsv(await fs.readFile(file, 'utf8'), nullValue);
  return rows
    .filter((row) => row.length > 1 || row[0] !== '')
    .map((row) => Object.fromEntries(header!.map((name, i) => [name, row[i] ?? ''])));
}

function parseCsv(text: string, nullValue: string | undefined): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  const endField = () => {
    row.push(!wasQuoted && field === nullValue ? '' : field);
    field = '';
    wasQuoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') {
      quoted = true;
      wasQuoted = true;
    } else if (ch === ',') endField();
    else if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
      if (ch === '\r') i++;
      endField();
      rows.push(row);
      row = [];
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    endField();
    rows.push(row);
  }
  return rows;
}
