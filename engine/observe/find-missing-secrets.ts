import { isSecretRef } from '../config/schema-validator';
import type { Queryable } from '../runtime/queryable';
import { sandboxSchema } from '../runtime/sandbox-schema';

/** A secret an applied resource refers to whose environment variable is not set. */
export interface MissingSecret {
  /** `Source/crm` or `Destination/webhook`. */
  resource: string;
  /** The environment variable to set. */
  variable: string;
}

/**
 * Every `secret://NAME` in the applied specs of sources and destinations whose variable is unset
 * (or empty) in `env`: the runs and deliveries that would fail, found before they are attempted.
 */
export async function findMissingSecrets(
  db: Queryable,
  sandbox: string,
  env: NodeJS.ProcessEnv,
): Promise<MissingSecret[]> {
  const { rows } = await db.query<{ kind: string; name: string; spec: unknown }>(
    `select kind, name, document -> 'spec' as spec from ${sandboxSchema(sandbox)}.resources
      where kind in ('Source', 'Destination') order by kind desc, name`,
  );
  const missing: MissingSecret[] = [];
  for (const row of rows) {
    for (const variable of new Set(secretNamesIn(row.spec))) {
      if (!env[variable]) missing.push({ resource: `${row.kind}/${row.name}`, variable });
    }
  }
  return missing;
}

/** The variable names of the secret references anywhere in a spec. */
function secretNamesIn(value: unknown): string[] {
  if (isSecretRef(value)) return [value.slice('secret://'.length)];
  if (Array.isArray(value)) return value.flatMap(secretNamesIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(secretNamesIn);
  return [];
}
