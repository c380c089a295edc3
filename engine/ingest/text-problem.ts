/**
 * Why PostgreSQL would refuse `text` in a text or jsonb column, or undefined when it would not.
 * Such a value in one record otherwise fails the COPY of the whole run: a NUL character (text and
 * jsonb cannot hold U+0000) and an unpaired UTF-16 surrogate (JSON can escape one, `"\ud800"`,
 * but it is not a character: UTF-8 cannot encode it and jsonb rejects it).
 */
export function textProblem(text: string): string | undefined {
  if (!text.includes('\u0000') && !SURROGATE.test(text)) return undefined; // the common case: two cheap scans
  const nul = text.indexOf('\u0000');
  if (nul !== -1) return `holds a NUL character (\\u0000) at character ${nul + 1}, which PostgreSQL cannot store`;
  const surrogate = text.search(UNPAIRED_SURROGATE);
  if (surrogate !== -1) {
    const code = text.charCodeAt(surrogate).toString(16).toUpperCase();
    return `holds an unpaired UTF-16 surrogate (\\u${code}) at character ${surrogate + 1}, which is not valid Unicode; re-export the data as UTF-8`;
  }
  return undefined;
}

/** Any surrogate: only then (or with a NUL) is the text looked at closely. */
const SURROGATE = /[\uD800-\uDFFF]/;

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
