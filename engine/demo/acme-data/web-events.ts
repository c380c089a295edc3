import type { Context } from './context';
import { experienceCloudId, type MarketoLead } from './marketo-leads';
import { asciiSlug, capitalizeEmail, randomName, uniqueEmail } from './people';
import { makePicker, Rng } from './random';
import { DAY } from './time';
import { PERSONAL_DOMAINS } from './vocabulary';
import { page, REFERRERS, SITE, WEB_PAGES } from './website';

/** One line of `events/web-events.ndjson`, in the HTTP ingest endpoint's event shape. */
interface WebEvent {
  type: 'web.visit' | 'product.signup' | 'form.filled';
  occurredAt: string;
  email: string;
  ecid?: string;
  attributes: Record<string, string>;
}

/** Who an event is about: a Marketo lead, or a newcomer Marketo has not seen yet. */
interface EventPerson {
  email: string;
  ecid: string | null;
  company: string;
  hot: boolean;
  known: boolean;
}

/**
 * Events of the last 2 days: mostly people Marketo knows (hot leads more often, looking at pricing),
 * some newcomers signing up for the product with a personal mailbox.
 */
export function webEventsFile(ctx: Context, leads: MarketoLead[]): { content: string; records: number } {
  const rng = Rng.for(ctx, 'web-events');
  const pickLead = makePicker(rng, leads, (l) => (l.hot ? 1 : l.engagement + 0.05));
  const taken = new Set(leads.map((l) => l.email.toLowerCase()));
  const newcomers = Array.from({ length: Math.max(1, Math.round(ctx.counts.webEvents * 0.05)) }, () =>
    newcomer(rng, taken),
  );
  const events: { at: number; event: WebEvent }[] = [];
  for (let i = 0; i < ctx.counts.webEvents; i++) {
    const person: EventPerson = rng.chance(0.85) ? knownPerson(rng, pickLead()) : rng.pick(newcomers);
    const at = rng.time(ctx.now - 2 * DAY, ctx.now) + rng.int(0, 999);
    events.push({ at, event: webEvent(rng, person, at) });
  }
  events.sort((a, b) => a.at - b.at);
  return { content: events.map((e) => `${JSON.stringify(e.event)}\n`).join(''), records: events.length };
}

function knownPerson(rng: Rng, lead: MarketoLead): EventPerson {
  // Web forms lowercase nothing: a few people type their address capitalized.
  const email = rng.chance(0.03) ? capitalizeEmail(lead.email.toLowerCase()) : lead.email.toLowerCase();
  return {
    email,
    ecid: lead.ecid && rng.chance(0.9) ? lead.ecid : null,
    company: lead.company ?? '',
    hot: lead.hot,
    known: true,
  };
}

function newcomer(rng: Rng, taken: Set<string>): EventPerson {
  const name = randomName(rng);
  const email = uniqueEmail(rng, taken, name, rng.pick(PERSONAL_DOMAINS));
  return {
    email,
    ecid: rng.chance(0.5) ? experienceCloudId(rng) : null,
    company: `${name.last} Consulting`,
    hot: false,
    known: false,
  };
}

function webEvent(rng: Rng, person: EventPerson, time: number): WebEvent {
  const type = person.known
    ? rng.choose({ 'web.visit': 78, 'form.filled': 12, 'product.signup': 10 })
    : rng.choose({ 'web.visit': 45, 'product.signup': 40, 'form.filled': 15 });
  const base = {
    type,
    occurredAt: new Date(time).toISOString(),
    email: person.email,
    ...(person.ecid ? { ecid: person.ecid } : {}),
  };
  if (type === 'product.signup') {
    const plan = rng.choose({ trial: 70, free: 30 });
    return {
      ...base,
      attributes: { url: `https://app.${SITE}/signup`, plan, workspace: asciiSlug(person.company) || 'personal' },
    };
  }
  if (type === 'form.filled') {
    const target = rng.pick(WEB_PAGES.filter((p) => p.form));
    return { ...base, attributes: { url: `https://${SITE}${target.path}`, formName: target.form?.name ?? '' } };
  }
  const target =
    person.hot && rng.chance(0.5) ? page('/pricing') : rng.weighted(WEB_PAGES.map((p) => [p, p.weight] as const));
  return {
    ...base,
    attributes: { url: `https://${SITE}${target.path}`, referrer: rng.pick(REFERRERS), pageTitle: target.title },
  };
}
