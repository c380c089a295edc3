/**
 * Collects bind parameters while SQL text is built: every value a user wrote becomes `$n`, never
 * text in the statement. Aliases are numbered so nested relations never collide.
 */
export class SqlBuilder {
  readonly params: unknown[] = [];
  private aliases = 0;

  /** Adds a value and returns its placeholder, with a cast when given (`$3::numeric`). */
  param(value: unknown, cast?: string): string {
    this.params.push(value);
    return cast ? `$${this.params.length}::${cast}` : `$${this.params.length}`;
  }

  alias(prefix: string): string {
    this.aliases++;
    return `${prefix}${this.aliases}`;
  }
}

/** `30d` -> `30 days`, as PostgreSQL reads an interval. */
export function durationToInterval(duration: string): string {
  const amount = duration.slice(0, -1);
  const unit = { m: 'minutes', h: 'hours', d: 'days', w: 'weeks' }[duration.slice(-1) as 'm' | 'h' | 'd' | 'w'];
  return `${amount} ${unit}`;
}

/** A LIKE pattern that matches `text` literally (`%`, `_` and `\` escaped), for `like ... escape '\'`. */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
