import type { Plan } from './plan';

/** The flag that lets `roster plan`, `apply` and `destroy` delete what `pulumi up` manages. */
export const ALLOW_DELETE_PULUMI_MANAGED = '--allow-delete-pulumi-managed';

/**
 * Pure: leaves out of the plan the deletes of resources that `pulumi up` manages (their registry
 * row says `managed_by = 'pulumi'`), unless `allowDelete`. A sandbox may hold resources of both
 * tools; a Pulumi stack's resources are not in the files `roster apply` reads, and deleting them
 * behind Pulumi's back would leave its state describing resources that are gone.
 */
export function keepPulumiManaged(plan: Plan, allowDelete: boolean): Plan {
  if (allowDelete) return plan;
  const kept = plan.changes.filter((c) => c.action === 'delete' && c.before?.managedBy === 'pulumi');
  if (kept.length === 0) return plan;
  return {
    ...plan,
    changes: plan.changes.filter((c) => !kept.includes(c)),
    keptPulumiManaged: kept.map((c) => ({ key: c.key, sourceFile: c.before!.sourceFile })),
  };
}

/** What a reader is told about the kept resources, one line each, then how to delete them. */
export function keptPulumiManagedLines(plan: Plan): string[] {
  const kept = plan.keptPulumiManaged ?? [];
  if (kept.length === 0) return [];
  return [
    ...kept.map((k) => `${k.key}${k.sourceFile ? ` (${k.sourceFile})` : ''} is managed by Pulumi; not deleted`),
    `Remove ${kept.length === 1 ? 'it' : 'them'} from the Pulumi program and run pulumi up, or pass ${ALLOW_DELETE_PULUMI_MANAGED} to delete ${kept.length === 1 ? 'it' : 'them'} here.`,
  ];
}
