import { readFileSync } from 'node:fs';
import { fixtureJson, fixturePath, type RecordedPage, recordedPages } from './marketo-fixture-files';

/** A lead of the fake Marketo, with the fields its REST answers can return. */
export interface FakeLead {
  id: number;
  email: string | null;
  /** Adobe Experience Cloud IDs synced to the lead (Marketo's `ecids` field). */
  ecids: string[];
  firstName: string | null;
  lastName: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A static list: its id and name, and its members' lead ids in the order they were added. */
export interface FakeStaticList {
  id: number;
  name: string;
  members: Set<number>;
}

/** What Marketo did with one lead id of an add or remove call. */
export interface LeadIdStatus {
  id: number;
  status: 'added' | 'removed' | 'skipped';
  reasons?: { code: string; message: string }[];
}

/**
 * The lead database of the fake Marketo: leads and static lists, seeded from the recorded payloads
 * (the 24 static lists of `list_reponse_full.json`; the two leads of `lead_by_list.json`, members
 * of list 1007; the 19 leads of the two lead extract files, without email as recorded, members of
 * list 1010 "Bill Import Test", which their `registrationSourceInfo` names). Tests add their own
 * leads and lists with `addLead` and `addList`, and read the state back with `memberEmails`.
 */
export class FakeLeadDatabase {
  readonly leads = new Map<number, FakeLead>();
  readonly lists = new Map<number, FakeStaticList>();
  private nextId = 1;

  constructor(options: { seedFixtures?: boolean } = {}) {
    if (options.seedFixtures !== false) this.seedFixtures();
  }

  /** Adds a lead (the next free id unless `id` is given) and returns it. */
  addLead(fields: Partial<Omit<FakeLead, 'ecids'>> & { ecids?: string[] }): FakeLead {
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const lead: FakeLead = {
      id: fields.id ?? this.nextId,
      email: fields.email ?? null,
      ecids: fields.ecids ?? [],
      firstName: fields.firstName ?? null,
      lastName: fields.lastName ?? null,
      createdAt: fields.createdAt ?? now,
      updatedAt: fields.updatedAt ?? now,
    };
    this.leads.set(lead.id, lead);
    this.nextId = Math.max(this.nextId, lead.id + 1);
    return lead;
  }

  /** Adds one lead per email and returns them in order. */
  addLeads(emails: readonly string[]): FakeLead[] {
    return emails.map((email) => this.addLead({ email }));
  }

  /** Adds (or replaces) static list `id` holding `leadIds`. */
  addList(id: number, name = `Static list ${id}`, leadIds: readonly number[] = []): FakeStaticList {
    const list = { id, name, members: new Set(leadIds) };
    this.lists.set(id, list);
    return list;
  }

  /** The members of list `listId`, in the order they were added (empty for an unknown list). */
  listMembers(listId: number): FakeLead[] {
    return [...(this.lists.get(listId)?.members ?? [])].flatMap((id) => this.leads.get(id) ?? []);
  }

  /** The members' emails of list `listId`, sorted, in lower case (null emails left out). */
  memberEmails(listId: number): string[] {
    return this.listMembers(listId)
      .flatMap((lead) => (lead.email === null ? [] : [lead.email.toLowerCase()]))
      .sort();
  }

  /** Leads whose `filterType` field equals one of `values` (emails case-insensitively), by id. */
  findLeads(filterType: 'id' | 'email' | 'ecids', values: readonly string[]): FakeLead[] {
    const wanted = new Set(values.map((value) => value.trim().toLowerCase()));
    const matches = (lead: FakeLead): boolean => {
      if (filterType === 'id') return wanted.has(String(lead.id));
      if (filterType === 'email') return lead.email !== null && wanted.has(lead.email.toLowerCase());
      return lead.ecids.some((ecid) => wanted.has(ecid.toLowerCase()));
    };
    return [...this.leads.values()].filter(matches).sort((a, b) => a.id - b.id);
  }

  /** Add to List: `added` for an existing lead (already a member too), `skipped` 1004 for an unknown id. */
  addToList(list: FakeStaticList, ids: readonly number[]): LeadIdStatus[] {
    return ids.map((id) => {
      if (!this.leads.has(id)) return skipped(id, '1004', 'Lead not found');
      list.members.add(id);
      return { id, status: 'added' };
    });
  }

  /** Remove from List: `removed` for a member, `skipped` 1015 for a lead not in the list, 1004 for an unknown id. */
  removeFromList(list: FakeStaticList, ids: readonly number[]): LeadIdStatus[] {
    return ids.map((id) => {
      if (!this.leads.has(id)) return skipped(id, '1004', 'Lead not found');
      if (!list.members.delete(id)) return skipped(id, '1015', 'Lead not in list');
      return { id, status: 'removed' };
    });
  }

  private seedFixtures(): void {
    for (const list of fixtureJson<{ id: number; name: string }[]>('list_reponse_full.json')) {
      this.addList(list.id, list.name);
    }
    const byList = recordedPages('lead_by_list.json').flatMap((page: RecordedPage) => page.result);
    for (const lead of byList) this.lists.get(1007)?.members.add(this.addLead(lead as Partial<FakeLead>).id);
    for (const file of ['lead_extract1.csv', 'leads_extract2.csv']) {
      for (const lead of readExtractLeads(file)) this.lists.get(1010)?.members.add(this.addLead(lead).id);
    }
  }
}

function skipped(id: number, code: string, message: string): LeadIdStatus {
  return { id, status: 'skipped', reasons: [{ code, message }] };
}

/** The leads of a bulk extract file (CSV with a header line, `null` for empty values). */
function readExtractLeads(file: string): Partial<FakeLead>[] {
  const [header, ...lines] = readFileSync(fixturePath(file), 'utf8').trim().split('\n');
  const columns = header!.split(',');
  return lines.map((line) => {
    // The recorded extracts hold no quoted commas, so a plain split reads them.
    const cells = line.split(',');
    const value = (name: string): string | null => {
      const cell = cells[columns.indexOf(name)];
      return cell === undefined || cell === 'null' ? null : cell;
    };
    const fields = { email: value('email'), firstName: value('firstName'), lastName: value('lastName') };
    return { id: Number(value('id')), ...fields, createdAt: value('createdAt')!, updatedAt: value('updatedAt')! };
  });
}
