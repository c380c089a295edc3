import type { Row, SandboxData } from './stitch-fixture';

/**
 * A small CRM + marketing data set with most of what stitching has to get right: shared emails in
 * different case and spacing, two CRM contacts sharing an email (merge protection), blocklisted and
 * junk emails, values only marketing knows, and same-source duplicates that disagree (a tie that
 * source priority does not break).
 */
export function mixedData(): SandboxData {
  const accounts: Row[] = [
    { id: 'A1', name: 'Acme', domain: 'acme.example' },
    { id: 'A2', name: 'Globex', domain: 'https://www.globex.example/' },
    { id: 'A3', name: 'Initech', domain: 'initech.example' },
  ];
  const contacts: Row[] = [
    { id: 'C01', email: 'ann@acme.example', firstName: 'Ann', lastName: 'Lee', title: '', accountId: 'A1' },
    { id: 'C02', email: 'ANN@acme.example', firstName: 'Anne', lastName: 'Leigh', title: 'CFO', accountId: 'A1' },
    { id: 'C03', email: 'bo@globex.example', firstName: 'Bo', lastName: 'Chen', title: 'CTO', accountId: 'A2' },
    { id: 'C04', email: ' cy@initech.example ', firstName: 'Cy', lastName: '', title: '', accountId: 'A3' },
    { id: 'C05', email: 'n/a', firstName: 'Dee', lastName: 'Ray', title: '', accountId: 'A1' },
    { id: 'C06', email: 'N/A', firstName: 'Eve', lastName: 'Ng', title: '', accountId: 'A2' },
    { id: 'C07', email: 'info@acme.example', firstName: 'Fay', lastName: 'Orr', title: '', accountId: 'A1' },
  ];
  const marketing: Row[] = [
    { id: 'M01', email: 'Ann@Acme.example', firstName: 'Annie', lastName: 'L.', title: 'VP Sales' },
    { id: 'M02', email: 'bo@globex.example', firstName: 'Bobby', title: '' },
    { id: 'M03', email: 'cy@initech.example', firstName: 'Cyrus', lastName: 'Park', title: 'Engineer' },
    { id: 'M04', email: 'zed@gmail.com', firstName: 'Zed', title: 'Founder' },
    { id: 'M05', email: 'ZED@gmail.com', firstName: 'Zedd', title: 'Owner' },
    { id: 'M06', email: 'kim@partner.example', firstName: 'Kim', accountId: 'A2' },
    { id: 'M07', email: 'kim@partner.example', firstName: 'Kimberly', accountId: 'A3' },
    { id: 'M08', email: 'n/a', firstName: 'Lou' },
    ...Array.from({ length: 60 }, (_, i) => ({
      id: `M${String(10 + i).padStart(2, '0')}`,
      email: 'info@acme.example',
      firstName: `Visitor${i}`,
    })),
  ];
  return { crm: { accounts, contacts }, marketing };
}

/** Every other row (the 1st, 3rd, ...) and the rest, in key order: a later key can arrive in the first half. */
export function alternateHalves(rows: readonly Row[]): [Row[], Row[]] {
  const sorted = [...rows].sort((a, b) => (a.id! < b.id! ? -1 : 1));
  return [sorted.filter((_, i) => i % 2 === 0), sorted.filter((_, i) => i % 2 === 1)];
}
