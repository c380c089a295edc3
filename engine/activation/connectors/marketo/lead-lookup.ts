import type { MarketoTransport, Query } from '../../../vendors/marketo/marketo-transport';

/** The lead fields leads are looked up by: `email`, or `ecids` (Adobe Experience Cloud IDs synced to the lead). */
export type LeadFilter = 'email' | 'ecids';

/** Most `filterValues` Marketo takes in one Get Leads by Filter Type call. */
export const MAX_FILTER_VALUES = 300;

/**
 * Longest path and query sent as a GET. Marketo answers 414 past 8 KiB of URI; the rest is left for
 * the scheme, the host and the encoding of any character we did not count.
 */
const MAX_GET_PATH_AND_QUERY = 7_000;

const LEADS_PATH = '/rest/v1/leads.json';

/** A lead as Get Leads by Filter Type returns it with `fields=id,email` or `fields=id,ecids`. */
interface LeadRecord {
  id: number;
  email?: string | null;
  /** A list of ECIDs; spelled as an array or, by some instances, one comma-separated string. */
  ecids?: string[] | string | null;
}

/**
 * The ids of the existing leads whose `filter` field equals one of `values`, keyed by the value in
 * lower case (emails match case-insensitively; a value with no lead is absent from the map). Only
 * the values and the field names `id`, `email`, `ecids` are sent; no lead is created or changed.
 *
 * Values go out in calls of at most 300, run together (the transport's limiter paces them), as a
 * GET while the URL stays short and otherwise as the POST with `_method=GET` and a form body that
 * Marketo documents for queries too long for a URL.
 */
export async function findLeads(
  transport: MarketoTransport,
  filter: LeadFilter,
  values: readonly string[],
): Promise<Map<string, number[]>> {
  const wanted = distinctLookupValues(values);
  const chunks: string[][] = [];
  for (let start = 0; start < wanted.length; start += MAX_FILTER_VALUES) {
    chunks.push(wanted.slice(start, start + MAX_FILTER_VALUES));
  }
  const pages = await Promise.all(chunks.map((chunk) => lookUpChunk(transport, filter, chunk)));
  const found = new Map<string, number[]>();
  const asked = new Set(wanted.map(lookupKey));
  for (const lead of pages.flat()) {
    for (const value of valuesOf(lead, filter)) {
      const key = lookupKey(value);
      // A lead with several ECIDs also answers for ECIDs nobody asked about.
      if (!asked.has(key)) continue;
      const ids = found.get(key) ?? [];
      if (!ids.includes(lead.id)) ids.push(lead.id);
      found.set(key, ids);
    }
  }
  return found;
}

/** How a looked-up value is keyed in `findLeads`' answer: trimmed, in lower case. */
export function lookupKey(value: string): string {
  return value.trim().toLowerCase();
}

/** One call's worth of values, with every page of its answer (Marketo pages past 300 leads, e.g. duplicates). */
async function lookUpChunk(transport: MarketoTransport, filter: LeadFilter, chunk: string[]): Promise<LeadRecord[]> {
  const leads: LeadRecord[] = [];
  let nextPageToken: string | undefined;
  do {
    const params: Query = {
      filterType: filter,
      filterValues: chunk.join(','),
      fields: `id,${filter}`,
      nextPageToken,
    };
    const answer = fitsInUrl(params)
      ? await transport.callJson<LeadRecord>('GET', LEADS_PATH, { query: params })
      : await transport.callJson<LeadRecord>('POST', LEADS_PATH, { query: { _method: 'GET' }, form: params });
    const page = answer.result ?? [];
    leads.push(...page);
    // An empty page with a token would ask for the same nothing again.
    nextPageToken = page.length > 0 && answer.nextPageToken !== nextPageToken ? answer.nextPageToken : undefined;
  } while (nextPageToken !== undefined);
  return leads;
}

/** Whether `params` keep a GET of the leads endpoint under Marketo's URI limit. */
function fitsInUrl(params: Query): boolean {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) query.set(name, String(value));
  }
  return LEADS_PATH.length + 1 + query.toString().length <= MAX_GET_PATH_AND_QUERY;
}

/**
 * `values` trimmed, without empties and without case-insensitive repeats. A value holding a comma
 * is left out: `filterValues` is comma-separated, so it would be read as two other values.
 */
function distinctLookupValues(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const distinct: string[] = [];
  for (const raw of values) {
    const value = raw.trim();
    const key = lookupKey(value);
    if (value === '' || value.includes(',') || seen.has(key)) continue;
    seen.add(key);
    distinct.push(value);
  }
  return distinct;
}

function valuesOf(lead: LeadRecord, filter: LeadFilter): string[] {
  const value = filter === 'email' ? lead.email : lead.ecids;
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : value.split(',');
  return list.map((entry) => entry.trim()).filter((entry) => entry !== '');
}
