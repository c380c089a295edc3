import type { Rng } from './random';
import {
  FEMALE_NAMES,
  type JobTitle,
  LAST_NAMES,
  LEVEL_WEIGHTS,
  MALE_NAMES,
  PERSONAL_DOMAINS,
  TITLES,
} from './vocabulary';

/** A person's name as CRMs store it; the salutation may be empty. */
export interface PersonName {
  first: string;
  last: string;
  salutation: string;
}

/** A random first and last name from the mixed-origin lists, with a salutation matching the first name. */
export function randomName(rng: Rng): PersonName {
  const female = rng.chance(0.5);
  const first = rng.pick(female ? FEMALE_NAMES : MALE_NAMES);
  const last = rng.pick(LAST_NAMES);
  const salutation = female
    ? rng.choose({ 'Ms.': 70, 'Mrs.': 10, 'Dr.': 5, '': 15 })
    : rng.choose({ 'Mr.': 80, 'Dr.': 5, '': 15 });
  return { first, last, salutation };
}

/** Lowercase ASCII letters only: "Lefèvre" → "lefevre", "O'Brien" → "obrien". */
export function asciiSlug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** A not-yet-used address `first.last@domain` (lowercase), numbered on collision; personal mailboxes vary the pattern. */
export function uniqueEmail(rng: Rng, taken: Set<string>, name: PersonName, domain: string): string {
  const first = asciiSlug(name.first);
  const last = asciiSlug(name.last);
  const personal = PERSONAL_DOMAINS.includes(domain);
  const local = personal
    ? rng.pick([
        `${first}.${last}`,
        `${first}${last}${rng.int(1, 99)}`,
        `${first.charAt(0)}${last}`,
        `${first}_${last}`,
      ])
    : `${first}.${last}`;
  for (let n = 1; ; n++) {
    const email = `${local}${n === 1 ? '' : n}@${domain}`;
    if (!taken.has(email)) {
      taken.add(email);
      return email;
    }
  }
}

/** A seniority level drawn with {@link LEVEL_WEIGHTS}, then a title of that level. */
export function pickTitle(rng: Rng): JobTitle {
  const level = rng.weighted(LEVEL_WEIGHTS.map((w, i) => [i, w] as const));
  return rng.pick(TITLES.filter((t) => t.level === level));
}

/** "emma.smith@x.example" → "Emma.Smith@x.example", as people type it. */
export function capitalizeEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  const cased = local
    .split('.')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('.');
  return `${cased}@${domain}`;
}
