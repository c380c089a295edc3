import {
  type PersonLookup,
  type PersonProfile,
  tryReadPersonProfile,
} from '../../runtime/profiles/read-person-profile';
import { type CliIo, EXIT } from '../cli-io';
import { CommandError } from '../command-error';
import { UsageError } from '../usage-error';
import { openSandbox } from './open-sandbox';

export interface ProfileGetOptions {
  sandbox: string;
  email?: string;
  id?: string;
  format: 'text' | 'json';
}

/** `roster profile get`: the unified person, by email or by id (`42`, or `namespace:value`). */
export async function runProfileGet(options: ProfileGetOptions, io: CliIo): Promise<number> {
  const lookup = toLookup(options);
  const db = await openSandbox(options.sandbox, io);
  try {
    const profile = await tryReadPersonProfile(db.pool, options.sandbox, lookup);
    if (!profile)
      throw new CommandError(
        'PROFILE_NOT_FOUND',
        `no person in sandbox ${options.sandbox} has ${options.email ? `email ${options.email}` : `id ${options.id}`}; check the value, or run the sources and stitching first (roster source run)`,
      );
    io.stdout(options.format === 'json' ? `${JSON.stringify(profile, null, 2)}\n` : renderProfile(profile));
    return EXIT.ok;
  } finally {
    await db.close();
  }
}

function toLookup(options: ProfileGetOptions): PersonLookup {
  if ((options.email === undefined) === (options.id === undefined))
    throw new UsageError('give exactly one of --email ADDRESS or --id ID');
  if (options.email !== undefined) return { email: options.email };
  const id = options.id!;
  if (/^\d+$/.test(id)) return { id: Number(id) };
  const colon = id.indexOf(':');
  if (colon <= 0)
    throw new UsageError(
      `--id "${id}" is neither a person id (a number) nor namespace:value (e.g. crmContactId:0038c000037xS9YAAU)`,
    );
  return { namespace: id.slice(0, colon), value: id.slice(colon + 1) };
}

function renderProfile(p: PersonProfile): string {
  const a = p.attributes as Record<string, string | undefined>;
  const lines = [
    `Person ${p.id} (${p.canonicalKey})`,
    `  ${[a.firstName, a.lastName].filter(Boolean).join(' ') || '(no name)'}${a.jobTitle ? `, ${a.jobTitle}` : ''}${a.email ? ` <${a.email}>` : ''}`,
  ];
  lines.push('', 'Attributes:', ...Object.entries(p.attributes).map(([k, v]) => `  ${k}: ${String(v)}`));
  lines.push('', 'Identities:', ...p.identities.map((i) => `  ${i.namespace}: ${i.value}`));
  lines.push(
    '',
    `Account: ${p.account ? `${p.account.name ?? '(no name)'} (${p.account.domain ?? 'no domain'}, ${p.account.industry ?? 'no industry'}) #${p.account.id}` : 'none'}`,
  );
  lines.push(
    '',
    `Opportunities (${p.opportunities.length}):`,
    ...p.opportunities.map(
      (o) =>
        `  ${o.name} - ${o.stage}, ${o.amount ?? '?'}${o.role ? `, ${o.role}${o.isPrimary ? ' (primary)' : ''}` : ''}`,
    ),
  );
  lines.push(
    '',
    `Recent events (${p.recentEvents.length}):`,
    ...p.recentEvents.map((e) => `  ${e.occurredAt} ${e.type}${e.url ? ` ${e.url}` : ''} [${e.source}]`),
  );
  lines.push('', 'Sources:', ...p.records.map((r) => `  ${r.source}/${r.object}/${r.key} (${r.sourceType})`));
  return `${lines.join('\n')}\n`;
}
