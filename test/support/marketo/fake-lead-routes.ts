import type { FakeLead, FakeLeadDatabase } from './fake-lead-database';
import { errorBody, successBody } from './marketo-server-answers';

/** Marketo's limit on values per lookup, ids per list call and records per page. */
const MAX_PER_CALL = 300;

/** Fields a lead answer carries when the call names none (as documented for the lead endpoints). */
const DEFAULT_FIELDS = ['id', 'email', 'updatedAt', 'createdAt', 'firstName', 'lastName'];

const LIST_LEADS = /^\/rest\/v1\/lists\/(\d+)\/leads\.json$/;

/** Paths of the calls that create or change leads, which a list connector must never make. */
const LEAD_WRITES = [
  /^\/rest\/v1\/leads\.json$/,
  /^\/rest\/v1\/leads\/push\.json$/,
  /^\/rest\/v1\/leads\/\d+\/merge\.json$/,
];

/** A call as the lead routes need it. */
export interface LeadCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: string;
  contentType: string;
}

/**
 * Answers the lead database endpoints of the fake Marketo, or returns undefined for other paths:
 * - Get Leads by Filter Type: `GET /rest/v1/leads.json?filterType&filterValues&fields&batchSize&nextPageToken`,
 *   or the same as a form body of `POST /rest/v1/leads.json?_method=GET` (at most 300 values);
 * - Get Leads by List Id, Add to List, Remove from List: `GET`, `POST`, `DELETE` on
 *   `/rest/v1/lists/{listId}/leads.json` (ids as `{"input":[{"id":N}]}`, at most 300; 1013 for an
 *   unknown list; per-lead statuses);
 * - lead writes (Sync Leads, Push Lead, Merge Leads): `onWrite` is told, then Sync Leads answers as
 *   Marketo would (creating or updating by email) so a test sees the write had an effect.
 */
export function answerLeadRoutes(
  database: FakeLeadDatabase,
  call: LeadCall,
  onWrite: (call: LeadCall) => void,
): unknown | undefined {
  const list = LIST_LEADS.exec(call.path);
  if (list) return answerList(database, Number(list[1]), call);
  if (call.path !== '/rest/v1/leads.json' && !LEAD_WRITES.some((route) => route.test(call.path))) return undefined;
  if (call.path === '/rest/v1/leads.json' && call.method === 'GET') return lookUp(database, call.query);
  if (call.path === '/rest/v1/leads.json' && call.method === 'POST' && call.query._method === 'GET') {
    if (!call.contentType.startsWith('application/x-www-form-urlencoded'))
      return errorBody('612', 'Invalid Content Type');
    return lookUp(database, Object.fromEntries(new URLSearchParams(call.body)));
  }
  if (call.method !== 'POST') return errorBody('605', 'Request method not supported');
  onWrite(call);
  return call.path === '/rest/v1/leads.json' ? syncLeads(database, call.body) : successBody([]);
}

function lookUp(database: FakeLeadDatabase, params: Record<string, string>): unknown {
  const filterType = params.filterType;
  if (!filterType) return errorBody('1003', "Missing value for required parameter 'filterType'");
  if (filterType !== 'id' && filterType !== 'email' && filterType !== 'ecids') {
    return errorBody('1011', `Field '${filterType}' not supported`);
  }
  const values = (params.filterValues ?? '').split(',').filter((value) => value !== '');
  if (values.length === 0) return errorBody('1003', "Missing value for required parameter 'filterValues'");
  if (values.length > MAX_PER_CALL) return errorBody('1003', `Too many filterValues: ${values.length}, max 300`);
  return page(database.findLeads(filterType, values), params);
}

function answerList(database: FakeLeadDatabase, listId: number, call: LeadCall): unknown {
  const list = database.lists.get(listId);
  if (list === undefined) return errorBody('1013', 'Static list not found');
  if (call.method === 'GET') return page(database.listMembers(listId), call.query);
  if (call.method !== 'POST' && call.method !== 'DELETE') return errorBody('605', 'Request method not supported');
  let input: unknown;
  try {
    input = (JSON.parse(call.body) as { input?: unknown }).input;
  } catch {
    return errorBody('609', 'Invalid JSON');
  }
  if (!Array.isArray(input) || input.length === 0)
    return errorBody('1003', "Missing value for required parameter 'input'");
  if (input.length > MAX_PER_CALL) return errorBody('1003', `Too many ids: ${input.length}, max 300`);
  const ids = input.map((entry: { id?: unknown }) => Number(entry?.id));
  const statuses = call.method === 'POST' ? database.addToList(list, ids) : database.removeFromList(list, ids);
  return successBody(statuses);
}

/** One page of `leads` with the requested fields; `nextPageToken` only while more pages follow. */
function page(leads: FakeLead[], params: Record<string, string>): unknown {
  const size = Math.min(Number(params.batchSize ?? MAX_PER_CALL) || MAX_PER_CALL, MAX_PER_CALL);
  const offset = params.nextPageToken === undefined ? 0 : offsetOf(params.nextPageToken);
  if (offset === undefined) return errorBody('1003', `Invalid nextPageToken '${params.nextPageToken}'`);
  const fields = params.fields ? params.fields.split(',') : DEFAULT_FIELDS;
  const result = leads.slice(offset, offset + size).map((lead) => pick(lead, fields));
  const end = offset + size;
  return successBody(
    result,
    end < leads.length ? { nextPageToken: Buffer.from(`leads:${end}`).toString('base64') } : {},
  );
}

/** The lead with only `fields`; like Marketo, a field without a value is left out. */
function pick(lead: FakeLead, fields: string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const field of fields) {
    const value = (lead as unknown as Record<string, unknown>)[field];
    if (value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0)) picked[field] = value;
  }
  return picked;
}

function offsetOf(token: string): number | undefined {
  const match = /^leads:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

/** Sync Leads (createOrUpdate by email): here only so that a write, were one made, would be real. */
function syncLeads(database: FakeLeadDatabase, body: string): unknown {
  let records: { email?: string }[] = [];
  try {
    records = (JSON.parse(body) as { input?: { email?: string }[] }).input ?? [];
  } catch {
    return errorBody('609', 'Invalid JSON');
  }
  const result = records.map((record) => {
    const existing = record.email ? database.findLeads('email', [record.email])[0] : undefined;
    if (existing) return { id: existing.id, status: 'updated' };
    return { id: database.addLead({ email: record.email ?? null }).id, status: 'created' };
  });
  return successBody(result);
}
