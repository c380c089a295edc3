/**
 * Field access for mappers. Readers keep nested values as they came (`{ Account: { Name } }` from
 * JSON, `attributes` on Salesforce records), while CSV headers may already be dotted
 * (`Account.Name`); mappers name a field by one dotted path and must find it either way.
 */

/**
 * The value at dotted `path` in `fields`, or undefined when there is none (a present null stays
 * null). A key that holds the dots itself wins (`fields['Account.Name']`, as a CSV header writes
 * it); otherwise the path walks nested objects, trying the shortest key first at each level:
 * `a.b.c` looks in `fields.a` for `b.c`, then in `fields['a.b']` for `c`. Arrays are entered by
 * index only (`Contacts.0.Email`). Only own keys are read, so `__proto__` and kin find nothing.
 *
 * @example getField(contact, 'attributes.referenceId') // 'ref0030S00000DL1xgQAD'
 */
export function getField(fields: Readonly<Record<string, unknown>>, path: string): unknown {
  const direct = childOf(fields, path);
  if (direct !== undefined) return direct;
  for (let dot = path.indexOf('.'); dot !== -1; dot = path.indexOf('.', dot + 1)) {
    const inner = childOf(fields, path.slice(0, dot));
    if (typeof inner !== 'object' || inner === null) continue;
    const found = getField(inner as Record<string, unknown>, path.slice(dot + 1));
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * `fields` with nested objects spread into dotted keys: `{ attributes: { type: 'Contact' } }`
 * becomes `{ 'attributes.type': 'Contact' }`. Arrays, nulls and empty objects stay values. Where a
 * dotted key and a nested path spell the same name, the key as written wins, as in `getField`.
 */
export function flattenFields(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  const nested: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (isNestable(value)) {
      for (const [innerKey, innerValue] of Object.entries(flattenFields(value)))
        nested[`${key}.${innerKey}`] = innerValue;
    } else {
      flat[key] = value;
    }
  }
  for (const [key, value] of Object.entries(nested)) if (!Object.hasOwn(flat, key)) flat[key] = value;
  return flat;
}

function childOf(container: Readonly<Record<string, unknown>>, key: string): unknown {
  if (Array.isArray(container) && !/^\d+$/.test(key)) return undefined;
  return Object.hasOwn(container, key) ? container[key] : undefined;
}

function isNestable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length > 0;
}
