import { DateTime } from 'luxon';
import type { AttributeCatalog } from '../catalog/attribute-catalog';
import { MAPPED_CATALOG_ENTITY } from '../catalog/mapping-targets';
import type { Problem } from '../config/problem';
import { problemAt } from '../config/problem-at';
import type { SourceResourceItem } from '../config/resource';
import { PRESET_MAPPINGS } from '../sources/preset-mappings';
import { checkDatePattern } from '../util/check-date-pattern';

/**
 * Rules on how an object's values are read: date `format` patterns (checked here, not found out
 * when every value is quarantined), and events' required type and time (`eventType`, `eventTime`
 * or a mapped field), which only event objects may set.
 */
export function checkObjectValues(source: SourceResourceItem, index: number, catalog: AttributeCatalog): Problem[] {
  const object = source.spec.objects[index]!;
  const at = `/spec/objects/${index}`;
  const problems: Problem[] = [];
  const attributes = catalog.get(MAPPED_CATALOG_ENTITY[object.entity])!;
  for (const [name, spec] of Object.entries(object.fields ?? {})) {
    if (typeof spec !== 'object' || spec.format === undefined) continue;
    const type = spec.type ?? attributes.get(name)?.type;
    const problem =
      type === 'date' || type === 'datetime'
        ? checkDatePattern(spec.format)
        : `a format applies to date and datetime values, and ${name} is read as ${type ?? 'a link'}; remove it or set type: date`;
    if (problem !== undefined)
      problems.push(
        problemAt(source, `${at}/fields/${name}/format`, 'CONFIG_SOURCE', `format "${spec.format}": ${problem}`),
      );
  }
  return [...problems, ...checkEventOptions(source, index)];
}

function checkEventOptions(source: SourceResourceItem, index: number): Problem[] {
  const object = source.spec.objects[index]!;
  const at = `/spec/objects/${index}`;
  if (object.entity !== 'event') {
    return (['eventType', 'eventTime'] as const)
      .filter((option) => object[option] !== undefined)
      .map((option) =>
        problemAt(
          source,
          `${at}/${option}`,
          'CONFIG_SOURCE',
          `${option} applies to event objects only, and "${object.name}" fills ${object.entity}; remove it`,
        ),
      );
  }
  const problems: Problem[] = [];
  const mapped = { ...(object.preset ? PRESET_MAPPINGS[object.preset].fields : {}), ...(object.fields ?? {}) };
  if (mapped.type === undefined && object.eventType === undefined)
    problems.push(
      problemAt(
        source,
        at,
        'CONFIG_SOURCE',
        `event object "${object.name}" has no event type; map fields.type to the field that holds it, or set eventType (e.g. eventType: purchase)`,
      ),
    );
  if (mapped.occurredAt === undefined && object.eventTime === undefined)
    problems.push(
      problemAt(
        source,
        at,
        'CONFIG_SOURCE',
        `event object "${object.name}" has no time; map fields.occurredAt to the field that holds it, or set eventTime: ingestion (the time of the run) or a constant date-time`,
      ),
    );
  const time = object.eventTime;
  const timeProblem = time === undefined || time === 'ingestion' ? undefined : eventTimeProblem(time);
  if (timeProblem !== undefined)
    problems.push(problemAt(source, `${at}/eventTime`, 'CONFIG_SOURCE', `"${time}" ${timeProblem}`));
  return problems;
}

/** Why a constant `eventTime` is not a usable time: not ISO 8601 with a zone, or not a real one. */
function eventTimeProblem(time: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(time))
    return 'is neither "ingestion" nor an ISO 8601 date-time with a zone; write eventTime: ingestion, or e.g. 2024-01-01T00:00:00Z';
  const parsed = DateTime.fromISO(time, { zone: 'utc' });
  if (!parsed.isValid) return `is not a real date-time (${parsed.invalidExplanation}); write e.g. 2024-01-01T00:00:00Z`;
  if (parsed.toUTC().year < 1) return 'is in year 0, which does not exist; write e.g. 2024-01-01T00:00:00Z';
  return undefined;
}
