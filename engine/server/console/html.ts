/**
 * HTML that is safe to send: built only by {@link html}, so every piece of data in a page went
 * through {@link escapeHtml} on the way in. Pages never concatenate strings into markup.
 */
export class SafeHtml {
  /** Use {@link html}; the constructor is for this module. */
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

/** What a template may interpolate: data (escaped), markup built by `html`, or lists of either. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

/**
 * The one way to write markup: a tagged template whose literal parts are trusted (they are the
 * source code) and whose every interpolation is escaped, unless it is already `SafeHtml`. Arrays
 * are joined; `null`, `undefined` and `false` render nothing, so `${cond && html`...`}` works.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let text = strings[0]!;
  values.forEach((value, i) => {
    text += render(value) + strings[i + 1]!;
  });
  return new SafeHtml(text);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML text or a quoted attribute value: the five characters that can end either escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
