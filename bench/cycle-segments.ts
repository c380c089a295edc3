const INDUSTRIES = ['Technology', 'Financial Services', 'Manufacturing', 'Retail', 'Healthcare', 'Energy'];
const TITLES = ['VP Engineering', 'Director of IT', 'Analyst', 'Chief Financial Officer', 'Engineer'];
const EVENT_TYPES = ['email.opened', 'email.clicked', 'web.visit', 'form.filled'];
const ROLES = [['Decision Maker'], ['Decision Maker', 'Economic Buyer'], ['Influencer'], ['Evaluator', 'Influencer']];

/** How many of every ten generated segments have each shape (see `cycleSegmentsYaml`). */
const SHAPES = 10;

/** The where-clause lines (each `      - ...`) and subject of the i-th segment's shape. */
function shape(i: number): { subject: 'person' | 'account'; conditions: string[] } {
  const industry = INDUSTRIES[i % INDUSTRIES.length]!;
  const industries = `[${industry}, ${INDUSTRIES[(i + 1) % INDUSTRIES.length]}]`;
  // Per block of ten (one segment of each shape), so every shape meets every type and window.
  const block = Math.floor(i / SHAPES);
  const type = EVENT_TYPES[block % EVENT_TYPES.length]!;
  const revenue = (100 + ((i * 37) % 800)) * 1_000_000;
  const days = [7, 14, 30, 60, 90][block % 5]!;
  const title = TITLES[block % TITLES.length]!;
  switch (i % SHAPES) {
    case 0: // person attributes only
      return {
        subject: 'person',
        conditions: [
          `{ attribute: jobTitle, op: eq, value: ${title} }`,
          `{ attribute: personType, op: eq, value: lead }`,
        ],
      };
    case 1: // firmographics through the person's account
      return {
        subject: 'person',
        conditions: [
          `{ account: { all: [{ attribute: industry, op: in, value: ${industries} }, { attribute: annualRevenue, op: gte, value: ${revenue} }] } }`,
          `{ attribute: email, op: exists }`,
        ],
      };
    case 2: // buying committee: open deals with the person in a role
      return {
        subject: 'person',
        conditions: [
          `{ opportunities: { role: [${ROLES[i % ROLES.length]!.join(', ')}], where: { all: [{ attribute: isClosed, op: eq, value: false }, { attribute: amount, op: gte, value: ${((i * 53) % 400) * 1000} }] } } }`,
        ],
      };
    case 3: // engagement: events counted in a window
      return {
        subject: 'person',
        conditions: [`{ events: { type: ${type}, within: ${days}d, count: { gte: ${1 + (i % 3)} } } }`],
      };
    case 4: // engagement with an event attribute, on a firmographic base
      return {
        subject: 'person',
        conditions: [
          `{ account: { attribute: industry, op: in, value: ${industries} } }`,
          `{ events: { type: web.visit, within: ${days}d, where: { attribute: url, op: eq, value: /pricing } } }`,
        ],
      };
    case 5: // account audience: firmographics and open pipeline
      return {
        subject: 'account',
        conditions: [
          `{ attribute: annualRevenue, op: gte, value: ${revenue} }`,
          `{ opportunities: { where: { attribute: isClosed, op: eq, value: false }, count: { gte: ${1 + (i % 2)} } } }`,
        ],
      };
    case 6: // account audience: customers of an industry
      return {
        subject: 'account',
        conditions: [
          `{ attribute: type, op: eq, value: Customer }`,
          `{ attribute: industry, op: in, value: ${industries} }`,
        ],
      };
    case 7: // segment of segment: the engagement-on-firmographics audience three before, narrowed by title
      return {
        subject: 'person',
        conditions: [
          `{ inSegment: ${cycleSegmentName(i - 3)} }`,
          `{ not: { attribute: jobTitle, op: eq, value: Engineer } }`,
        ],
      };
    case 8: // mixed: firmographics, a deal of the account, recent engagement
      return {
        subject: 'person',
        conditions: [
          `{ account: { all: [{ attribute: numberOfEmployees, op: gte, value: ${500 + ((i * 17) % 4000)} }, { opportunities: { where: { attribute: amount, op: gte, value: 250000 } } }] } }`,
          `{ events: { type: [email.opened, email.clicked], within: ${days}d, count: { gte: 2 } } }`,
        ],
      };
    default: // exclusion: the firmographic audience eight before minus the buying committee seven before
      return {
        subject: 'person',
        conditions: [`{ inSegment: ${cycleSegmentName(i - 8)} }`, `{ notInSegment: ${cycleSegmentName(i - 7)} }`],
      };
  }
}

/**
 * `count` segments of the shapes B2B audiences take, deterministic: person and account attribute
 * filters, the person's account, opportunities with contact roles, event counts in windows,
 * event attributes, account audiences, and segment-of-segment references (`inSegment`,
 * `notInSegment`), each to an earlier segment, so the first N segments of the set are closed
 * under references and a cycle of N can run on a sandbox that holds more. Segments
 * `cycle-0000`, `cycle-0010`, ... are bound to a file destination, so changes write outbox rows.
 */
export function cycleSegmentsYaml(count: number): string {
  const docs: string[] = [];
  for (let i = 0; i < count; i++) {
    const { subject, conditions } = shape(i);
    docs.push(`apiVersion: roster/v1
kind: Segment
metadata: { name: ${cycleSegmentName(i)} }
spec:
  subject: ${subject}
  evaluation: batch
  where:
    all:
${conditions.map((c) => `      - ${c}`).join('\n')}
`);
  }
  const bound = Array.from({ length: Math.ceil(count / 10) }, (_, k) => `    - segment: ${cycleSegmentName(k * 10)}`);
  docs.push(`apiVersion: roster/v1
kind: Destination
metadata: { name: cycle-exports }
spec:
  type: file
  file: { directory: exports, format: csv, fields: [email, jobTitle] }
  schedule: "0 7 * * *"
  segments:
${bound.join('\n')}
`);
  return docs.join('---\n');
}

export function cycleSegmentName(i: number): string {
  return `cycle-${String(i).padStart(4, '0')}`;
}
