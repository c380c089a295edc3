import type { Location } from './locations';
import type { PersonName } from './people';
import type { Stamps } from './stamps';
import type { JobTitle } from './vocabulary';

// The Salesforce records the generator builds before writing them. Records point at each other
// (not at ids) because ids are assigned last, in creation order: see `assignSalesforceIds`.

/** Account size band, stored in the custom Tier__c field. */
export type Tier = 'Enterprise' | 'Mid-Market' | 'SMB';

/** A company with a unique name and domain, whether or not it is an account yet. */
export interface Company {
  name: string;
  /** Name without the legal form, used for subsidiaries and opportunity names. */
  baseName: string;
  domain: string;
  industry: string;
  location: Location;
}

/** An Account record, with the contacts and opportunities generated for it. */
export interface Account extends Company {
  id: string;
  type: string;
  parent: Account | null;
  billingCountry: string;
  phone: string;
  annualRevenue: number;
  employees: number;
  tier: Tier;
  ownerId: string;
  source: string;
  stamps: Stamps;
  contacts: Contact[];
  opportunities: Opportunity[];
}

/** A Contact record. */
export interface Contact {
  id: string;
  account: Account;
  name: PersonName;
  title: JobTitle;
  /** The Email field exactly as exported (may have odd case, spaces, junk or be empty). */
  email: string;
  /** Normalized email when this contact is the one person behind it (clean, not a duplicate); else null. */
  emailKey: string | null;
  phone: string;
  location: Location;
  leadSource: string;
  optedOut: boolean;
  ownerId: string;
  stamps: Stamps;
  /** The lead this contact was converted from, if any. */
  convertedFrom: Lead | null;
}

/** A Lead record, converted or not; `deleted` ones sit in the recycle bin the export includes. */
export interface Lead {
  id: string;
  deleted: boolean;
  name: PersonName;
  title: string;
  company: string;
  email: string;
  phone: string;
  location: Location;
  industry: string;
  status: string;
  leadSource: string;
  rating: string;
  conversion: { at: number; contact: Contact; opportunity: Opportunity | null } | null;
  ownerId: string;
  stamps: Stamps;
}

/** An opportunity stage with the values Salesforce derives from it. */
export interface Stage {
  name: string;
  probability: number;
  forecast: string;
  closed: boolean;
  won: boolean;
}

/** An Opportunity record. */
export interface Opportunity {
  id: string;
  account: Account;
  name: string;
  stage: Stage;
  amount: number;
  closeDate: number;
  type: 'New Business' | 'Existing Business';
  leadSource: string;
  ownerId: string;
  stamps: Stamps;
  /** Set when a converted lead created this opportunity: that contact is its primary contact role. */
  convertedContact: Contact | null;
}

/** An OpportunityContactRole record: a contact's part in a deal. */
export interface ContactRole {
  id: string;
  opportunity: Opportunity;
  contact: Contact;
  role: string;
  primary: boolean;
  stamps: Stamps;
}

/** A Campaign record, mirrored in Marketo as a program. */
export interface Campaign {
  id: string;
  /** Marketo program id of the synced program of the same name. */
  programId: number;
  name: string;
  type: CampaignType;
  nurture: boolean;
  start: number;
  end: number;
  stamps: Stamps;
}

/** A CampaignMember record: exactly one of `contact` and `lead` is set. */
export interface CampaignMember {
  id: string;
  campaign: Campaign;
  contact: Contact | null;
  lead: Lead | null;
  status: string;
  respondedAt: number | null;
  stamps: Stamps;
}

/** Every Salesforce record generated, plus what the Marketo section needs to make up new people. */
export interface Crm {
  accounts: Account[];
  contacts: Contact[];
  leads: Lead[];
  opportunities: Opportunity[];
  roles: ContactRole[];
  campaigns: Campaign[];
  members: CampaignMember[];
  /** Companies that are not (yet) accounts: prospects known only from leads and Marketo. */
  extraCompanies: Company[];
  /** Every email address handed out so far, lowercase, so later people get new ones. */
  takenEmails: Set<string>;
  now: number;
}

/** Type picklist values of the campaigns; each has its own member statuses. */
export type CampaignType = 'Webinar' | 'Trade Show' | 'Email' | 'Advertisement' | 'Partners';
