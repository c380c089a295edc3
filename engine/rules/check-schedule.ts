import { parseExpression } from 'cron-parser';

/** Why `expression` is not a valid 5-field cron expression, or undefined when it is. */
export function cronProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    return `"${expression}" has ${fields.length} fields; a schedule has 5: minute hour day-of-month month day-of-week (e.g. "*/15 * * * *")`;
  }
  try {
    parseExpression(expression, { utc: true });
    return undefined;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `"${expression}" is not a valid cron expression (${reason}); e.g. "0 * * * *" runs hourly`;
  }
}
