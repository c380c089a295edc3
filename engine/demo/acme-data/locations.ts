import { at, table } from './lists';
import type { Rng } from './random';

/** An office location of a company or person: address fields, phone numbering and local legal forms. */
export interface Location {
  city: string;
  state: string;
  country: string;
  /** Short form used in subsidiary names ("Northwind Software UK Ltd"). */
  label: string;
  code: string;
  callingCode: string;
  areaCode: string;
  legalForms: readonly string[];
  weight: number;
}

// Phone calling code and area code make fictional numbers; legal forms (`;`-separated) end company names.
const LOCATIONS: readonly Location[] = table(`
  San Francisco | CA  | United States  | USA         | us | 1   | 415 | Inc.; LLC; Corp. | 6
  New York      | NY  | United States  | USA         | us | 1   | 212 | Inc.; LLC; Corp. | 6
  Austin        | TX  | United States  | USA         | us | 1   | 512 | Inc.; LLC; Corp. | 6
  Chicago       | IL  | United States  | USA         | us | 1   | 312 | Inc.; LLC; Corp. | 6
  Boston        | MA  | United States  | USA         | us | 1   | 617 | Inc.; LLC; Corp. | 6
  Seattle       | WA  | United States  | USA         | us | 1   | 206 | Inc.; LLC; Corp. | 6
  Denver        | CO  | United States  | USA         | us | 1   | 303 | Inc.; LLC; Corp. | 6
  Atlanta       | GA  | United States  | USA         | us | 1   | 404 | Inc.; LLC; Corp. | 6
  Los Angeles   | CA  | United States  | USA         | us | 1   | 213 | Inc.; LLC; Corp. | 6
  Raleigh       | NC  | United States  | USA         | us | 1   | 919 | Inc.; LLC; Corp. | 6
  Toronto       | ON  | Canada         | Canada      | ca | 1   | 416 | Inc.; Ltd.       | 3
  Vancouver     | BC  | Canada         | Canada      | ca | 1   | 604 | Inc.; Ltd.       | 2
  London        |     | United Kingdom | UK          | uk | 44  | 20  | Ltd; PLC         | 5
  Manchester    |     | United Kingdom | UK          | uk | 44  | 161 | Ltd              | 2
  Berlin        |     | Germany        | Deutschland | de | 49  | 30  | GmbH; AG         | 3
  Munich        |     | Germany        | Deutschland | de | 49  | 89  | GmbH; AG         | 2
  Paris         |     | France         | France      | fr | 33  | 1   | SAS; SA          | 3
  Amsterdam     |     | Netherlands    | Nederland   | nl | 31  | 20  | B.V.             | 2
  Dublin        |     | Ireland        | Ireland     | ie | 353 | 1   | Ltd; DAC         | 2
  Stockholm     |     | Sweden         | Sverige     | se | 46  | 8   | AB               | 1
  Madrid        |     | Spain          | España      | es | 34  | 91  | S.L.             | 1
  Sydney        | NSW | Australia      | Australia   | au | 61  | 2   | Pty Ltd          | 2
  Singapore     |     | Singapore      | Singapore   | sg | 65  | 6   | Pte. Ltd.        | 2
  Tokyo         |     | Japan          | Japan       | jp | 81  | 3   | K.K.             | 1
  Bengaluru     | KA  | India          | India       | in | 91  | 80  | Pvt. Ltd.        | 2
  São Paulo     | SP  | Brazil         | Brasil      | br | 55  | 11  | Ltda.            | 1
`).map((c) => ({
  city: at(c, 0),
  state: at(c, 1),
  country: at(c, 2),
  label: at(c, 3),
  code: at(c, 4),
  callingCode: at(c, 5),
  areaCode: at(c, 6),
  legalForms: at(c, 7)
    .split(';')
    .map((form) => form.trim()),
  weight: Number(at(c, 8)),
}));

/** Fictional phone numbers: the 555-01xx range in North America, +44 20 7946 0xxx in London. */
export function phoneNumber(rng: Rng, location: Location): string {
  if (location.callingCode === '1') return `(${location.areaCode}) 555-0${rng.int(100, 199)}`;
  if (location.code === 'uk' && location.areaCode === '20') return `+44 20 7946 0${rng.int(100, 999)}`;
  return `+${location.callingCode} ${location.areaCode} ${rng.int(100, 999)} ${rng.int(1000, 9999)}`;
}

/** A location drawn by its weight (mostly North America and Europe, like the company's market). */
export function pickLocation(rng: Rng): Location {
  return rng.weighted(LOCATIONS.map((l) => [l, l.weight] as const));
}
