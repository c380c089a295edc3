import type { AttributeType } from '../catalog/attribute-catalog';
import { clip, convertTime } from './convert-time';
import { numericProblem } from './numeric-problem';
import { textProblem } from './text-problem';

/** A converted value in PostgreSQL's text form (what COPY takes), or null. */
export type TextValue = string | null;

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const TRUE = new Set(['true', 't', '1', 'yes', 'y']);
const FALSE = new Set(['false', 'f', '0', 'no', 'n']);

/**
 * Converts a source value to `type`; returns an error text (what is wrong) when it cannot, or when
 * PostgreSQL would refuse the result (NUL characters, unpaired surrogates, numbers beyond numeric's
 * range, impossible dates), so one bad value quarantines its record instead of failing the run.
 * `format` is the Luxon pattern of dates written in a non-ISO form. Objects must be depth-checked
 * by the caller (`mapRecord` does) before they reach the JSON text of a `string`.
 */
export function convertValue(
  raw: unknown,
  type: AttributeType,
  format?: string,
): { value: TextValue } | { error: string } {
  if (raw === null || raw === undefined) return { value: null };
  if (typeof raw === 'object')
    return type === 'string' ? checkedText(JSON.stringify(raw)) : { error: `expected a ${type}, got an object` };
  const text = String(raw).trim();
  if (text === '') return { value: null };
  switch (type) {
    case 'string':
      return checkedText(text);
    case 'number':
      return convertNumber(text);
    case 'boolean': {
      const lower = text.toLowerCase();
      if (TRUE.has(lower)) return { value: 't' };
      if (FALSE.has(lower)) return { value: 'f' };
      return { error: `"${clip(text)}" is not a boolean (true/false)` };
    }
    case 'date':
    case 'datetime':
      return convertTime(text, type, format);
  }
}

function convertNumber(text: string): { value: TextValue } | { error: string } {
  if (!NUMBER.test(text) || !Number.isFinite(Number(text))) return { error: `"${clip(text)}" is not a number` };
  const problem = numericProblem(text);
  return problem === undefined ? { value: text } : { error: `"${clip(text)}" cannot be stored: ${problem}` };
}

function checkedText(text: string): { value: TextValue } | { error: string } {
  const problem = textProblem(text);
  return problem === undefined ? { value: text } : { error: `the value ${problem}` };
}
