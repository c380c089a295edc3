import type { Queryable } from '../queryable';
import { sandboxSchema } from '../sandbox-schema';

const PROFILE_TABLES = { person: 'persons', account: 'accounts' } as const;

/** Whether the sandbox holds the unified person (or account) `id` (`roster segment explain` checks first). */
export async function profileExists(
  db: Queryable,
  sandbox: string,
  profile: { entity: 'person' | 'account'; id: number },
): Promise<boolean> {
  const { rows } = await db.query(
    `select 1 from ${sandboxSchema(sandbox)}.${PROFILE_TABLES[profile.entity]} where id = $1`,
    [profile.id],
  );
  return rows.length > 0;
}
