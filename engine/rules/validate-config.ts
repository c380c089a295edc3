import { buildCatalog } from '../catalog/build-catalog';
import type { AttributeCatalog } from '../catalog/attribute-catalog';
import type { Problem } from '../config/problem';
import { sortProblems } from '../config/problem';
import type { Resource } from '../config/resource';
import { buildGraph, type ResourceGraph } from '../graph/build-graph';
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
export function validateConfig(resources: readonly Resource[], options: DestinationRuleOptions): ValidatedConfig {
  const { graph, problems: graphProblems } = buildGraph(resources);
  const unique = [...graph.resources.values()];
  const { catalog, problems: catalogProblems } = buildCatalog(unique);
  const { segments, problems: segmentProblems } = checkSegments(unique, catalog);
  const problems = [
    ...graphProblems,
    ...catalogProblems,
    ...checkSources(unique, catalog),
    ...checkIdentityMappings(unique),
    ...segmentProblems,
    ...checkDestinations(unique, catalog, options),
  ];
  return { graph, catalog, segments, problems: sortProblems(problems) };
}
