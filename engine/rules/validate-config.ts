import type { AttributeCatalog } from '../catalog/attribute-catalog';
import { buildCatalog } from '../catalog/build-catalog';
import type { Problem } from '../config/problem';
import { sortProblems } from '../config/problem';
import type { Resource } from '../config/resource';
import { buildGraph, type PartialConfigContext, type ResourceGraph } from '../graph/build-graph';
import { checkDestinations, type DestinationRuleOptions } from './check-destinations';
import { checkIdentityMappings } from './check-identity-mappings';
import { type CheckedSegment, checkSegments } from './check-segments';
import { checkSources } from './check-sources';

/** Everything known about a configuration without touching data: graph, catalog, checked segments, problems. */
export interface ValidatedConfig {
  graph: ResourceGraph;
  catalog: AttributeCatalog;
  segments: CheckedSegment[];
  /** Sorted by file, line and column; empty when the configuration is valid. */
  problems: Problem[];
}

/**
 * Runs every static rule over schema-valid resources: graph (names, references, cycles), attribute
 * catalog, sources, identity mappings, segments (conditions, streaming eligibility) and destinations
 * (list ids, fields, webhook URLs). Pure; collects every problem rather than stopping at the first.
 */
export function validateConfig(
  resources: readonly Resource[],
  options: DestinationRuleOptions & PartialConfigContext = { allowedPrivateHosts: [] },
): ValidatedConfig {
  const { graph, problems: graphProblems } = buildGraph(resources, options);
  const unique = [...graph.resources.values()];
  const { catalog, problems: catalogProblems } = buildCatalog(unique);
  const { segments, problems: segmentProblems } = checkSegments(unique, catalog);
  const problems = [
    ...graphProblems,
    ...catalogProblems,
    ...checkSources(unique, catalog),
    ...checkIdentityMappings(unique, options),
    ...segmentProblems,
    ...checkDestinations(unique, catalog, options),
  ];
  return { graph, catalog, segments, problems: sortProblems(problems.map((p) => withPartialHint(p, unique, options))) };
}

/**
 * An unknown attribute may be a custom field of a source that failed to parse, and an unknown
 * identity namespace one of a mapping that failed to parse: say so.
 */
function withPartialHint(problem: Problem, valid: readonly Resource[], context: PartialConfigContext): Problem {
  if (problem.message.includes('did you mean')) return problem;
  const namespace = problem.code === 'CONFIG_UNKNOWN_REFERENCE' && problem.pointer.endsWith('/hasIdentity');
  if (problem.code !== 'CONFIG_UNKNOWN_ATTRIBUTE' && !namespace) return problem;
  const kind = namespace ? 'IdentityMapping' : 'Source';
  const validKeys = new Set(valid.filter((r) => r.kind === kind).map((r) => r.key));
  const invalid = [...(context.declaredKeys ?? [])].filter((k) => k.startsWith(`${kind}/`) && !validKeys.has(k));
  if (invalid.length === 0 && !context.incomplete) return problem;
  const which = invalid.length > 0 ? invalid.join(', ') : 'files that could not be parsed';
  const what = namespace ? 'namespaces' : 'custom fields';
  return {
    ...problem,
    message: `${problem.message} (${what} declared in ${which} are unknown until its problems are fixed)`,
  };
}
