import type { Condition } from '../../schemas/generated/resource-types';
import type { Resource, ResourceKind } from '../config/resource';

/** A by-name reference from one resource to another, with the field that holds it. */
export interface ResourceReference {
  kind: ResourceKind;
  name: string;
  /** Pointer of the referencing field, relative to the resource. */
  pointer: string;
}

/** `{ kind, spec }` of any resource kind, still discriminated by `kind`. */
export type KindAndSpec = Resource extends infer R ? (R extends Resource ? Pick<R, 'kind' | 'spec'> : never) : never;

/**
 * Every resource `resource` names, in document order. Takes any `{ kind, spec }`, so documents read
 * back from the registry (which have no file positions) can be ordered too.
 */
export function resourceReferences(resource: KindAndSpec): ResourceReference[] {
  switch (resource.kind) {
    case 'IdentityMapping':
      return resource.spec.sources.map((name, i) => ({ kind: 'Source', name, pointer: `/spec/sources/${i}` }));
    case 'Segment':
      return conditionReferences(resource.spec.where, '/spec/where');
    case 'Destination':
      return resource.spec.segments.map((b, i) => ({
        kind: 'Segment',
        name: b.segment,
        pointer: `/spec/segments/${i}/segment`,
      }));
    case 'Source':
      return [];
  }
}

/** Segment references (`inSegment`, `notInSegment`) and sources (`fromSource`) anywhere in a condition tree. */
function conditionReferences(condition: Condition | undefined, pointer: string): ResourceReference[] {
  if (condition === undefined || typeof condition !== 'object') return [];
  const found: ResourceReference[] = [];
  for (const key of ['inSegment', 'notInSegment'] as const) {
    const name = condition[key];
    if (name !== undefined) found.push({ kind: 'Segment', name, pointer: `${pointer}/${key}` });
  }
  if (condition.fromSource !== undefined)
    found.push({ kind: 'Source', name: condition.fromSource, pointer: `${pointer}/fromSource` });
  for (const key of ['all', 'any'] as const) {
    for (const [i, child] of (condition[key] ?? []).entries())
      found.push(...conditionReferences(child, `${pointer}/${key}/${i}`));
  }
  for (const key of ['not', 'account', 'parent'] as const)
    found.push(...conditionReferences(condition[key], `${pointer}/${key}`));
  for (const key of ['opportunities', 'accountRelations', 'persons', 'campaigns', 'lists', 'events'] as const) {
    found.push(...conditionReferences(condition[key]?.where, `${pointer}/${key}/where`));
  }
  return found;
}
