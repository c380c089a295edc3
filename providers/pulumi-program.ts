/**
 * The Pulumi program (`Pulumi.yaml` -> providers/pulumi-main.js): loads the config directory named
 * by stack config `roster:configDir`, validates it exactly as `roster validate` does, and declares
 * one resource per entry with `dependsOn` from references. The stack name is the sandbox.
 */
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { loadConfig } from '../engine/config/load-config';
import { formatProblem } from '../engine/config/problem';
import type { ResourceKey } from '../engine/config/resource';
import { toResourceInputs } from '../engine/plan/resource-document';
import { validateConfig } from '../engine/rules/validate-config';
import { allowedPrivateHosts } from '../engine/util/private-address';
import { RESOURCE_CLASSES } from './roster-resources';

export interface ProgramOptions {
  configDir: string;
  sandbox: string;
  gitCommit?: string;
}

/** Declares the resources; resolves to them by `Kind/name` (for tests and stack outputs). */
export async function declareRosterResources(
  options: ProgramOptions,
): Promise<Map<ResourceKey, pulumi.CustomResource>> {
  const loaded = await loadConfig({ root: options.configDir, sandbox: options.sandbox });
  const validated = validateConfig(loaded.resources, {
    allowedPrivateHosts: allowedPrivateHosts(process.env),
    declaredKeys: loaded.declaredKeys,
    incomplete: loaded.unreadableFiles.length > 0,
  });
  const problems = [...loaded.problems, ...validated.problems];
  if (problems.length > 0) {
    throw new pulumi.RunError(
      `the configuration in ${options.configDir} has problems:\n${problems.map(formatProblem).join('\n')}`,
    );
  }
  const declared = new Map<ResourceKey, pulumi.CustomResource>();
  for (const key of validated.graph.order) {
    const resource = validated.graph.resources.get(key)!;
    const dependsOn = (validated.graph.dependencies.get(key) ?? []).map((dep) => declared.get(dep)!);
    const inputs = toResourceInputs(resource, {
      sandbox: options.sandbox,
      managedBy: 'pulumi',
      configRoot: options.configDir,
      ...(options.gitCommit ? { gitCommit: options.gitCommit } : {}),
    });
    const Class = RESOURCE_CLASSES[resource.kind];
    declared.set(key, new Class(`${resource.kind}-${resource.name}`, inputs, { dependsOn }));
  }
  return declared;
}

/** Entry point used by providers/pulumi-main.js under `pulumi up`. */
export async function runPulumiProgram(): Promise<Record<string, unknown>> {
  const config = new pulumi.Config('roster');
  const configDir = path.resolve(config.require('configDir'));
  const declared = await declareRosterResources({ configDir, sandbox: pulumi.getStack() });
  return { sandbox: pulumi.getStack(), resources: [...declared.keys()] };
}
