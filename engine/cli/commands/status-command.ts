import type { Pool } from 'pg';
import { readInterruptedApplies, readRecordedOperations } from '../../deploy/apply-journal';
import { isApplyLockFree, tryReadApplyLockHolder } from '../../deploy/apply-lock';
import { type DriftedResource, findDrift } from '../../plan/find-drift';
import { readAppliedResources } from '../../runtime/registry/read-registry';
import { type CliIo, EXIT } from '../cli-io';
import { openSandboxReadOnly } from './open-sandbox';

export interface StatusOptions {
  sandbox: string;
  format: 'text' | 'json';
}

/**
 * `roster status`: what is applied in a sandbox, who holds its lock, applies left unfinished and
 * drift. Reads only (decision 56): a sandbox that does not exist is reported, never created, and
 * pending migrations are not run.
 */
export async function runStatus(options: StatusOptions, io: CliIo): Promise<number> {
  const { db, state } = await openSandboxReadOnly(options.sandbox, io);
  try {
    const found = state.hasRegistry
      ? await readStatus(db.pool, options.sandbox)
      : { lock: null, interrupted: [], drift: [], resources: [] };
    const report = {
      sandbox: options.sandbox,
      database: db.description,
      sandboxExists: state.exists,
      pendingMigrations: state.pending,
      ...found,
      resources: found.resources.map((r) => ({
        kind: r.kind,
        name: r.name,
        revision: r.revision,
        appliedAt: r.appliedAt,
        appliedBy: r.appliedBy,
        managedBy: r.managedBy,
        gitCommit: r.gitCommit,
        sourceFile: r.sourceFile,
      })),
    };
    io.stdout(options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderStatusText(report));
    return EXIT.ok;
  } finally {
    await db.close();
  }
}

async function readStatus(db: Pool, sandbox: string) {
  const resources = await readAppliedResources(db, sandbox);
  const lockFree = await isApplyLockFree(db, sandbox);
  const holder = await tryReadApplyLockHolder(db, sandbox);
  const lock = lockFree ? null : (holder ?? { holder: 'another process', since: null });
  const interrupted = lockFree ? await readInterruptedApplies(db, sandbox) : [];
  const drift = findDrift(resources, await readRecordedOperations(db, sandbox));
  return { lock, interrupted, drift, resources };
}

function renderStatusText(report: {
  sandbox: string;
  database: string;
  sandboxExists: boolean;
  pendingMigrations: string[];
  lock: { holder: string; since: string | null } | null;
  interrupted: { applyId: string; appliedBy: string; startedAt: string; pending: { action: string; key: string }[] }[];
  drift: DriftedResource[];
  resources: {
    kind: string;
    name: string;
    revision: number;
    appliedAt: string;
    appliedBy: string;
    managedBy: string;
  }[];
}): string {
  if (!report.sandboxExists)
    return `Sandbox ${report.sandbox} (${report.database}) does not exist; roster apply creates it.\n`;
  const lines = [`Sandbox ${report.sandbox} (${report.database}): ${report.resources.length} applied resource(s).`];
  const n = report.pendingMigrations.length;
  if (n > 0) lines.push(`${n} migration${n === 1 ? '' : 's'} pending; roster apply runs ${n === 1 ? 'it' : 'them'}.`);
  lines.push(
    report.lock
      ? `Locked by ${report.lock.holder}${report.lock.since ? ` since ${report.lock.since}` : ''}.`
      : 'Not locked.',
  );
  for (const run of report.interrupted) {
    lines.push(
      `Interrupted apply ${run.applyId} by ${run.appliedBy} (started ${run.startedAt}); not confirmed: ${run.pending.map((p) => `${p.action} ${p.key}`).join(', ') || 'nothing'}. Run roster apply to complete it.`,
    );
  }
  if (report.drift.length > 0) {
    lines.push("Changed outside Roster (roster apply restores the files' version):");
    for (const d of report.drift) lines.push(`  ! ${d.key}: ${d.reason}`);
  }
  if (report.resources.length > 0) {
    const rows = report.resources.map((r) => [
      `${r.kind}/${r.name}`,
      String(r.revision),
      r.appliedAt,
      r.appliedBy,
      r.managedBy,
    ]);
    const header = ['RESOURCE', 'REVISION', 'APPLIED AT', 'APPLIED BY', 'BY'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
    lines.push(
      '',
      ...[header, ...rows].map((row) =>
        row
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
