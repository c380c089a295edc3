import type { Crm } from './salesforce-model';
import type { Stamps } from './stamps';

/**
 * Salesforce ids are handed out in creation order, as the platform does, so each file sorted by Id
 * is also sorted by CreatedDate.
 */
export function assignSalesforceIds(crm: Crm): void {
  const assign = (records: { id: string; stamps: Stamps }[], prefix: string) => {
    records.sort((a, b) => a.stamps.created - b.stamps.created);
    records.forEach((record, index) => {
      record.id = salesforceId(prefix, index);
    });
  };
  assign(crm.accounts, '001');
  assign(crm.contacts, '003');
  assign(crm.leads, '00Q');
  assign(crm.opportunities, '006');
  assign(crm.roles, '00K');
  assign(crm.campaigns, '701');
  assign(crm.members, '00v');
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * An 18-character Salesforce id: key prefix, pod "8c", reserved "0", a 9-character base-62 serial,
 * and the 3-character case-safe suffix.
 */
export function salesforceId(prefix: string, index: number): string {
  // Objects live in different ranges, as real ids of different objects never share a serial.
  const objectOffset = [...prefix].reduce((sum, ch) => sum * 31 + ch.charCodeAt(0), 0) % 997;
  let n = 1_250_000_000 + objectOffset * 2_000_003 + index * 7919;
  let serial = '';
  while (n > 0) {
    serial = BASE62.charAt(n % 62) + serial;
    n = Math.floor(n / 62);
  }
  const id15 = `${prefix}8c0${serial.padStart(9, '0')}`;
  return id15 + caseSafeSuffix(id15);
}

/**
 * Salesforce's 15→18 conversion: for each 5-character chunk, a 5-bit mask of which characters are
 * uppercase letters (bit i = character i), encoded with A–Z0–5.
 */
function caseSafeSuffix(id15: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const ch = id15.charAt(chunk * 5 + i);
      if (ch >= 'A' && ch <= 'Z') bits |= 1 << i;
    }
    suffix += alphabet.charAt(bits);
  }
  return suffix;
}
