import type { AttributeCatalog } from '../catalog/attribute-catalog';
import { LINK_FIELDS, MAPPED_CATALOG_ENTITY } from '../catalog/mapping-targets';
import type { Problem } from '../config/problem';
import { problemAt } from '../config/problem-at';
import type { Resource, SourceResourceItem } from '../config/resource';
import { SOURCE_PRESETS } from '../sources/source-presets';
import { didYouMeanSuffix } from '../util/did-you-mean';
import { checkObjectValues } from './check-object-values';
import { cronProblem } from './check-schedule';

/** Cross-field rules of sources that the schema cannot say: presets, keys, paths, queries, mapped attributes. */
export function checkSources(resources: readonly Resource[], catalog: AttributeCatalog): Problem[] {
  const problems: Problem[] = [];
  for (const source of resources.filter((r): r is SourceResourceItem => r.kind === 'Source')) {
    const { spec } = source;
    const scheduleProblem = spec.schedule === undefined ? undefined : cronProblem(spec.schedule);
    if (scheduleProblem) problems.push(problemAt(source, '/spec/schedule', 'CONFIG_CRON', scheduleProblem));
    const names = new Set<string>();
    spec.objects.forEach((object, index) => {
      const at = `/spec/objects/${index}`;
      if (names.has(object.name))
        problems.push(
          problemAt(
            source,
            `${at}/name`,
            'CONFIG_DUPLICATE_NAME',
            `object "${object.name}" is declared twice in this source; object names are unique per source`,
          ),
        );
      names.add(object.name);
      problems.push(...checkObject(source, index, catalog), ...checkObjectValues(source, index, catalog));
    });
  }
  return problems;
}

function checkObject(source: SourceResourceItem, index: number, catalog: AttributeCatalog): Problem[] {
  const object = source.spec.objects[index]!;
  const at = `/spec/objects/${index}`;
  const problems: Problem[] = [];
  const preset = object.preset === undefined ? undefined : SOURCE_PRESETS[object.preset];
  if (preset && preset.entity !== object.entity) {
    problems.push(
      problemAt(
        source,
        `${at}/entity`,
        'CONFIG_PRESET',
        `preset "${object.preset}" fills ${preset.entity}, not ${object.entity}; set entity: ${preset.entity}`,
      ),
    );
  }
  if (preset && !(preset.sourceTypes as readonly string[]).includes(source.spec.type)) {
    problems.push(
      problemAt(
        source,
        `${at}/preset`,
        'CONFIG_PRESET',
        `preset "${object.preset}" reads ${preset.sourceTypes.join(' or ')} data, not a ${source.spec.type} source`,
      ),
    );
  }
  if (!preset && object.key === undefined && source.spec.type !== 'http') {
    problems.push(
      problemAt(
        source,
        at,
        'CONFIG_SOURCE',
        `object "${object.name}" needs a "key" (the field holding each record's unique id), or a "preset" that gives one`,
      ),
    );
  }
  if (source.spec.type === 'file' && object.path === undefined) {
    problems.push(
      problemAt(
        source,
        at,
        'CONFIG_SOURCE',
        `object "${object.name}" of a file source needs a "path" glob relative to file.baseDir (e.g. "Contact*.csv")`,
      ),
    );
  }
  if (source.spec.type === 'postgres' && object.query === undefined) {
    problems.push(
      problemAt(source, at, 'CONFIG_SOURCE', `object "${object.name}" of a postgres source needs a "query"`),
    );
  }
  const attributes = catalog.get(MAPPED_CATALOG_ENTITY[object.entity])!;
  const targets = [...attributes.keys(), ...LINK_FIELDS[object.entity]];
  for (const name of Object.keys(object.fields ?? {})) {
    if (targets.includes(name)) continue;
    const hint =
      didYouMeanSuffix(name, targets) || `; declare it in customFields, or use one of: ${targets.join(', ')}`;
    problems.push(
      problemAt(
        source,
        `${at}/fields/${name}`,
        'CONFIG_UNKNOWN_ATTRIBUTE',
        `"${name}" is not an attribute of ${object.entity}${hint}`,
      ),
    );
  }
  return problems;
}
