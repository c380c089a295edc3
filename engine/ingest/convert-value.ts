import type { AttributeType } from '../catalog/attribute-catalog';

/** A converted value in PostgreSQL's text form (what COPY takes), or null. */
export type TextValue = string | null;

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const TRUE = new Set(['true', 't', '1', 'yes', 'y']);
const FALSE = new Set(['false', 'f', '0', 'no', 'n']);

/** Converts a source value to `type`; returns an error text (what is wrong) when it cannot. */
export function convertValue(raw: unknown, type: AttributeType): { value: TextValue } | { error: string } {
  if (raw === null || raw === undefined) return { value: null };
  if (typeof raw === 'object')
    return type === 'string' ? { value: JSON.stringify(raw) } : { error: `expected a ${type}, got an object` };
  const text = String(raw).trim();
  if (text === '') return { value: null };
  switch (type) {
    case 'string':
      return { value: text };
    case 'number':
      return NUMBER.test(text) && Number.isFinite(Number(text))
        ? { value: text }
        : { error: `"${clip(text)}" is not a number` };
    case 'boolean': {
      const lower = text.toLowerCase();
      if (TRUE.has(lower)) return { value: 't' };
      if (FALSE.has(lower)) return { value: 'f' };
      return { error: `"${clip(text)}" is not a boolean (true/false)` };
    }
    case 'date':
    case 'datetime':
      return convertTime(text, type);
  }
}

function convertTime(text: string, type: 'date' | 'datetime'): { value: TextValue } | { error: string } {
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text.replace(' ', 'T');
  const millis = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(iso) || !iso.includes('T') ? iso : `${iso}Z`);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(millis)) {
    return {
      error: `"${clip(text)}" is not an ISO 8601 ${type === 'date' ? 'date (2026-01-31)' : 'date-time (2026-01-31T12:00:00Z)'}`,
    };
  }
  const value = new Date(millis).toISOString();
  return { value: type === 'date' ? value.slice(0, 10) : value };
}

/** `https://www.acme.example/path` -> `acme.example`. */
export function stripUrl(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/^www\./, '')
    .replace(/[/?#:].*$/, '');
}

/** `Jane@Acme.Example` -> `acme.example`; undefined when there is no `@`. */
export function emailDomain(text: string): string | undefined {
  const at = text.lastIndexOf('@');
  return at < 0
    ? undefined
    : text
        .slice(at + 1)
        .trim()
        .toLowerCase() || undefined;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
