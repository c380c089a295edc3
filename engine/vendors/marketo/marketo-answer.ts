/** One entry of a Marketo answer's `errors` array. Marketo writes codes as strings (`"606"`). */
export interface MarketoErrorEntry {
  code: string;
  message: string;
}

/**
 * The envelope of every Marketo REST and bulk JSON answer. HTTP 200 with `success: false` is an
 * error answer: the reason is in `errors`.
 */
export interface MarketoAnswer<T = unknown> {
  requestId?: string;
  success: boolean;
  errors?: MarketoErrorEntry[];
  warnings?: string[];
  result?: T[];
  /** True when another page follows (not every endpoint sends it; see `pageThrough`). */
  moreResult?: boolean;
  nextPageToken?: string;
}

/**
 * `text` read as a Marketo answer, or undefined when it is not one (an HTML error page, a proxy's
 * plain text, JSON of another shape). Error codes are normalised to strings, since some gateways
 * send them as numbers.
 */
export function parseMarketoAnswer(text: string): MarketoAnswer | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || typeof (value as { success?: unknown }).success !== 'boolean') {
    return undefined;
  }
  const answer = value as MarketoAnswer & { errors?: unknown };
  const errors = Array.isArray(answer.errors) ? answer.errors.map(toErrorEntry) : undefined;
  return { ...answer, errors };
}

/** The first error of a failed answer; a placeholder when Marketo sent `success: false` alone. */
export function firstMarketoError(answer: MarketoAnswer): MarketoErrorEntry {
  return answer.errors?.[0] ?? { code: 'BAD_ANSWER', message: 'Marketo answered success: false without an error' };
}

function toErrorEntry(entry: unknown): MarketoErrorEntry {
  const { code, message } = (entry ?? {}) as { code?: unknown; message?: unknown };
  return { code: String(code ?? 'unknown'), message: typeof message === 'string' ? message : '' };
}
