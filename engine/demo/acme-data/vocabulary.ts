import { at, table, words } from './lists';
import type { Weights } from './random';

/**
 * Salesforce Industry picklist values, with words that make company names sound like the industry.
 * All are standard values except "Financial Services" (the standard list has Finance), which most
 * orgs add and the example segments use.
 */
export const INDUSTRIES: readonly (readonly [string, number, readonly string[]])[] = [
  ['Technology', 25, ['Software', 'Systems', 'Labs', 'Technologies', 'Cloud', 'Digital', 'Networks']],
  ['Financial Services', 10, ['Capital', 'Financial', 'Partners', 'Investments']],
  ['Banking', 4, ['Bank', 'Bancorp', 'Savings']],
  ['Insurance', 4, ['Insurance', 'Mutual', 'Assurance']],
  ['Healthcare', 10, ['Health', 'Medical', 'Care', 'Clinics']],
  ['Manufacturing', 10, ['Manufacturing', 'Industries', 'Components', 'Machinery']],
  ['Retail', 8, ['Retail', 'Outfitters', 'Markets', 'Goods']],
  ['Education', 5, ['Learning', 'Academy', 'Education']],
  ['Telecommunications', 5, ['Telecom', 'Communications', 'Wireless']],
  ['Energy', 4, ['Energy', 'Power', 'Renewables']],
  ['Media', 5, ['Media', 'Studios', 'Publishing']],
  ['Transportation', 4, ['Logistics', 'Freight', 'Transport']],
  ['Consulting', 4, ['Consulting', 'Advisors', 'Group']],
  ['Biotechnology', 4, ['Biosciences', 'Therapeutics', 'Genomics']],
];

/** First and second halves of company names ("North" + "wind"), followed by an industry word. */
export const NAME_HEADS = words(`
  North, Blue, Silver, Red, Iron, Bright, Clear, Summit, Pine, Harbor, Stone, Cedar, Eagle, Falcon, Granite,
  Maple, Oak, River, Sky, Star, Sun, True, Vector, Apex, Nova, Quantum, Atlas, Beacon, Crest, Delta, Echo,
  Fusion, Golden, Horizon, Lumen, Meridian, Orbit, Pioneer, Polar, Prime, Radiant, Sterling, Terra, Vertex,
  Zenith, Cobalt, Copper, Ember, Ivy, Juniper
`);
/** Second halves of company names. */
export const NAME_TAILS = words(`
  wind, field, point, bridge, gate, stone, wave, line, path, works, forge, view, peak, mark, ridge, light, port,
  wood, brook, vale
`);

/** First names of several origins, since the company sells in many countries. */
export const FEMALE_NAMES = words(`
  Emma, Olivia, Sophia, Isabella, Mia, Charlotte, Amelia, Harper, Evelyn, Abigail, Emily, Elizabeth, Avery, Ella,
  Scarlett, Grace, Chloe, Victoria, Riley, Aria, Lily, Zoë, Hannah, Priya, Ananya, Mei, Yuki, Fatima, Aisha,
  Ingrid, Sofía, Lucía, Chiara, Camille, Léa, Anna, Maria, Julia, Sarah, Laura, Rachel, Megan, Nicole, Jessica,
  Karen
`);
/** First names of several origins, since the company sells in many countries. */
export const MALE_NAMES = words(`
  Liam, Noah, Oliver, Elijah, James, William, Benjamin, Lucas, Henry, Alexander, Mason, Michael, Ethan, Daniel,
  Jacob, Logan, Jackson, Sebastian, Jack, Aiden, Owen, Samuel, Matthew, Joseph, David, Carlos, José, Mateo, Raj,
  Arjun, Wei, Hiroshi, Kenji, Omar, Ahmed, Lars, Sven, Jürgen, François, Pierre, Marco, Luca, Tomasz, Piotr,
  Ryan
`);
/** Last names with apostrophes, spaces, hyphens and accents, which email addresses and slugs must survive. */
export const LAST_NAMES = words(`
  Smith, Johnson, Williams, Brown, Jones, Garcia, Miller, Davis, Rodriguez, Martinez, Hernandez, Lopez, Gonzalez,
  Wilson, Anderson, Thomas, Taylor, Moore, Jackson, Martin, Lee, Perez, Thompson, White, Harris, Sanchez, Clark,
  Ramirez, Lewis, Robinson, Walker, Young, Allen, King, Wright, Scott, Torres, Nguyen, Hill, Flores, Green,
  Adams, Nelson, Baker, Hall, Rivera, Campbell, Mitchell, Carter, Roberts, O'Brien, O'Connor, Müller, Schmidt,
  Schneider, Fischer, Weber, Dubois, Lefèvre, Rossi, Bianchi, Kowalski, Nowak, Novak, Patel, Sharma, Gupta,
  Singh, Kumar, Chen, Wang, Li, Zhang, Liu, Tanaka, Suzuki, Sato, Kim, Park, Choi, Andersson, Johansson, Larsen,
  Jensen, Van Dijk, De Vries, Murphy, Kelly, Byrne, Silva, Santos, Oliveira, Costa, Fernández, García-López
`);

/** Seniority: 0 C-level, 1 VP, 2 director/head, 3 manager, 4 individual contributor. */
export interface JobTitle {
  title: string;
  department: string;
  level: number;
}
/** Job titles of B2B buyers and users: title | department | seniority level. */
export const TITLES: readonly JobTitle[] = table(`
  CEO                               | Executive   | 0
  CFO                               | Finance     | 0
  CTO                               | Engineering | 0
  CIO                               | IT          | 0
  Chief Data Officer                | Data        | 0
  CMO                               | Marketing   | 0
  VP Engineering                    | Engineering | 1
  VP Marketing                      | Marketing   | 1
  VP Sales                          | Sales       | 1
  VP Finance                        | Finance     | 1
  VP Data & Analytics               | Data        | 1
  VP Operations                     | Operations  | 1
  Director of Marketing             | Marketing   | 2
  Director of Engineering           | Engineering | 2
  Director of IT                    | IT          | 2
  Director of Business Intelligence | Data        | 2
  Head of Data                      | Data        | 2
  Head of Growth                    | Marketing   | 2
  Director of Revenue Operations    | Sales       | 2
  Marketing Operations Manager      | Marketing   | 3
  Engineering Manager               | Engineering | 3
  Procurement Manager               | Procurement | 3
  BI Manager                        | Data        | 3
  IT Manager                        | IT          | 3
  Product Manager                   | Product     | 3
  Sales Operations Manager          | Sales       | 3
  Data Analyst                      | Data        | 4
  Senior Data Engineer              | Engineering | 4
  Data Scientist                    | Data        | 4
  Software Engineer                 | Engineering | 4
  Business Analyst                  | Operations  | 4
  Marketing Analyst                 | Marketing   | 4
  Analytics Engineer                | Data        | 4
  Financial Analyst                 | Finance     | 4
  Solutions Architect               | IT          | 4
`).map((c) => ({ title: at(c, 0), department: at(c, 1), level: Number(at(c, 2)) }));
/** Share of each seniority level among contacts (few executives, many practitioners). */
export const LEVEL_WEIGHTS = [6, 10, 20, 26, 38];

/** Lead Source picklist values, weighted by how often each brings people in. */
export const LEAD_SOURCES: Weights = {
  Web: 40,
  Webinar: 18,
  'Trade Show': 14,
  'Partner Referral': 12,
  Advertisement: 16,
};
/** Free mailboxes, repeated by popularity; people using them give no company domain. */
export const PERSONAL_DOMAINS = words(
  'gmail.com, gmail.com, gmail.com, outlook.com, outlook.com, yahoo.com, icloud.com',
);
/** Junk values people type into email fields; they must not become identities. */
export const JUNK_EMAILS = ['n/a', 'test@test.com', 'none', 'noemail@example.com', 'na@na.com', '-'];
