import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { formatProblem } from '../../engine/config/problem';
import type { ResourceKey } from '../../engine/config/resource';
import { checkConfigDir } from '../../engine/deploy/check-config-dir';
import { gitCommitOf } from '../../engine/deploy/git-commit';
import { toResourceInputs } from '../../engine/plan/resource-document';
import { RESOURCE_CLASSES } from '../roster-resources';
import { secretDatabaseUrl } from './secret-database-url';

export interface RosterProjectArgs {
  /**
   * The directory of resource files, or of `roster.yaml` (whose variables and ignores apply, as for
   * `roster plan`). Relative to the program's working directory.
   */
  configDir: string;
  /** The git commit recorded with each revision; by default the config directory's checkout's HEAD. */
  gitCommit?: string;
  /**
   * The runtime database, instead of the stack's `roster:databaseUrl`. Made a Pulumi secret: the
   * state holds it encrypted only.
   */
  databaseUrl?: pulumi.Input<string>;
}

/** The component's type token: `roster:index:RosterProject`. */
export const ROSTER_PROJECT_TYPE = 'roster:index:RosterProject';

/**
 * A Roster config directory as one Pulumi component: reads and validates the files exactly as
 * `roster plan` does (the stack name is the sandbox), and declares one child per resource, named
 * `Kind/name`, parented to the component, depending on the resources it references. The database
 * is `args.databaseUrl` (a secret input of each child), else the stack's secret config
 * `roster:databaseUrl`, else DATABASE_URL in the provider host.
 */
export class RosterProject extends pulumi.ComponentResource {
  /** The children by `Kind/name`, once the files are read. */
  readonly resources: Promise<Map<ResourceKey, pulumi.CustomResource>>;
  /** The sandbox (the stack's name). */
  readonly sandbox: string;

  constructor(name: string, args: RosterProjectArgs, opts?: pulumi.ComponentResourceOptions) {
    super(ROSTER_PROJECT_TYPE, name, {}, opts);
    this.sandbox = pulumi.getStack();
    this.resources = this.declareChildren(args);
    // The outputs wait for the children: the program does not end before they are declared.
    const keys = this.resources.then((declared) => [...declared.keys()]);
    this.registerOutputs({ sandbox: this.sandbox, resources: keys });
  }

  private async declareChildren(args: RosterProjectArgs): Promise<Map<ResourceKey, pulumi.CustomResource>> {
    const checked = await checkConfigDir(args.configDir, this.sandbox, { cwd: process.cwd(), env: process.env });
    if (checked.problems.length > 0) {
      throw new pulumi.RunError(
        `the configuration in ${args.configDir} has problems:\n${checked.problems.map(formatProblem).join('\n')}`,
      );
    }
    const { graph } = checked.validated;
    const configRoot = path.resolve(checked.root);
    const gitCommit = args.gitCommit ?? gitCommitOf(configRoot);
    const context = {
      sandbox: this.sandbox,
      managedBy: 'pulumi' as const,
      configRoot,
      ...(gitCommit ? { gitCommit } : {}),
    };
    const declared = new Map<ResourceKey, pulumi.CustomResource>();
    for (const key of graph.order) {
      const resource = graph.resources.get(key)!;
      const dependsOn = (graph.dependencies.get(key) ?? []).map((dep) => declared.get(dep)!);
      const Class = RESOURCE_CLASSES[resource.kind];
      const inputs = { ...toResourceInputs(resource, context), ...secretDatabaseUrl(args.databaseUrl) };
      declared.set(key, new Class(key, inputs, { parent: this, dependsOn }));
    }
    return declared;
  }
}
