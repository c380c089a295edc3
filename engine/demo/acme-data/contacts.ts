import type { Context } from './context';
import { at } from './lists';
import { phoneNumber, pickLocation } from './locations';
import { capitalizeEmail, pickTitle, randomName, uniqueEmail } from './people';
import { makePicker, Rng } from './random';
import type { Account, Contact, Tier } from './salesforce-model';
import { makeStamps } from './stamps';
import { DAY } from './time';
import { JUNK_EMAILS, LEAD_SOURCES } from './vocabulary';

/** Larger accounts have more contacts; every account gets at least one when there are enough contacts. */
export function generateContacts(ctx: Context, accounts: Account[], takenEmails: Set<string>): Contact[] {
  const rng = Rng.for(ctx, 'contacts');
  const tierWeight: Record<Tier, number> = { Enterprise: 12, 'Mid-Market': 5, SMB: 2 };
  const pickAccount = makePicker(rng, accounts, (a) => tierWeight[a.tier]);
  const contacts: Contact[] = [];
  for (let i = 0; i < ctx.counts.contacts; i++) {
    const account = i < accounts.length && ctx.counts.contacts >= accounts.length ? at(accounts, i) : pickAccount();
    const contact = makeContact(ctx, rng, account, contacts, takenEmails);
    account.contacts.push(contact);
    contacts.push(contact);
  }
  return contacts;
}

function makeContact(ctx: Context, rng: Rng, account: Account, earlier: Contact[], takenEmails: Set<string>): Contact {
  const name = randomName(rng);
  // Most people work at the account's billing location; some in another office.
  const location = rng.chance(0.85) ? account.location : pickLocation(rng);
  const contact: Contact = {
    id: '',
    account,
    name,
    title: pickTitle(rng),
    email: '',
    emailKey: null,
    phone: phoneNumber(rng, location),
    location,
    leadSource: rng.choose(LEAD_SOURCES),
    optedOut: rng.chance(0.04),
    ownerId: account.ownerId,
    stamps: makeStamps(rng, rng.time(account.stamps.created, ctx.now - DAY), ctx.now),
    convertedFrom: null,
  };
  assignContactEmail(rng, contact, earlier, takenEmails);
  return contact;
}

/**
 * Most contacts get `first.last@<account domain>`. A few get the messes real CRMs hold, so that
 * identity resolution has something to do: odd case, surrounding spaces, another contact's address
 * (a duplicate record, possibly under another account), junk, or nothing.
 */
function assignContactEmail(rng: Rng, contact: Contact, earlier: Contact[], takenEmails: Set<string>): void {
  const r = rng.next();
  const original = earlier.length > 0 && r >= 0.03 && r < 0.045 ? rng.pick(earlier) : null;
  if (original?.emailKey) {
    contact.name = { ...original.name };
    contact.email = original.email;
    return;
  }
  if (r >= 0.045 && r < 0.055) {
    contact.email = rng.pick(JUNK_EMAILS);
    return;
  }
  if (r >= 0.055 && r < 0.07) return;
  const email = uniqueEmail(rng, takenEmails, contact.name, contact.account.domain);
  contact.emailKey = email;
  if (r < 0.015) contact.email = rng.chance(0.5) ? email.toUpperCase() : capitalizeEmail(email);
  else if (r < 0.03) contact.email = rng.pick([` ${email}`, `${email} `, ` ${email} `]);
  else contact.email = email;
}
