import { parseSalesforceDatetime } from './later-watermark';

/** What to read from one sObject. */
export interface QuerySpec {
  /** API name of the sObject: `Contact`, `Invoice__c`. */
  object: string;
  /** Fields to select; relationship fields with dots (`Account.Name`). */
  fields: readonly string[];
  /** Field that grows on every change, read in its order: usually `SystemModstamp`. */
  watermarkField?: string;
  /** Read only records whose watermark field is later than this ISO datetime (the last read's watermark). */
  since?: string;
}

/**
 * Names SOQL can take without quoting. Anything else (spaces, quotes, parentheses, commas) could
 * change the query, so it is refused rather than escaped: SOQL has no identifier quoting.
 */
const NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/**
 * The SOQL for `spec`: `SELECT <fields> FROM <object>`, and with a watermark field
 * `WHERE <field> > <since> ORDER BY <field> ASC, Id ASC` (the WHERE only when `since` is given).
 * The watermark field is added to the selected fields when missing, so the caller can compute the
 * next watermark; fields repeated (in any case) are selected once, as SOQL refuses duplicates.
 * Throws when a name or `since` could not be put into SOQL safely; pure, no request is made.
 */
export function buildQuery(spec: QuerySpec): string {
  checkName(spec.object, 'object name');
  if (spec.fields.length === 0) {
    throw new Error(`Salesforce query of ${spec.object} has no fields: list at least one field (e.g. Id).`);
  }
  for (const field of spec.fields) checkName(field, `field name in ${spec.object}`);
  const { watermarkField, since } = spec;
  if (watermarkField !== undefined) checkName(watermarkField, `watermark field of ${spec.object}`);
  const fields = uniqueFields(watermarkField === undefined ? spec.fields : [...spec.fields, watermarkField]);
  const select = `SELECT ${fields.join(', ')} FROM ${spec.object}`;
  if (watermarkField === undefined) {
    if (since !== undefined) {
      throw new Error(
        `Salesforce query of ${spec.object} has a "since" value but no watermark field to compare it with.`,
      );
    }
    return select;
  }
  const order = `ORDER BY ${watermarkField} ASC, Id ASC`;
  if (since === undefined) return `${select} ${order}`;
  return `${select} WHERE ${watermarkField} > ${soqlDatetime(since, spec.object)} ${order}`;
}

function checkName(name: string, what: string): void {
  if (!NAME.test(name)) {
    throw new Error(
      `Invalid Salesforce ${what} ${JSON.stringify(name)}: use the API name (letters, digits, "_" and "." only, e.g. Account.Name).`,
    );
  }
}

/** The fields in their first order, each once; SOQL names are case-insensitive. */
function uniqueFields(fields: readonly string[]): string[] {
  const seen = new Set<string>();
  return fields.filter((field) => {
    const key = field.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `since` as a SOQL datetime literal (unquoted, UTC, milliseconds), after checking it is one. */
function soqlDatetime(since: string, object: string): string {
  const instant = parseSalesforceDatetime(since);
  if (!instant) {
    throw new Error(
      `Invalid watermark ${JSON.stringify(since)} for ${object}: expected an ISO 8601 datetime with a zone, e.g. 2026-01-01T00:00:00.000Z.`,
    );
  }
  return instant.toISOString();
}
