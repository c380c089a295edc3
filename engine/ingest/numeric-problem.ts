/** PostgreSQL's numeric input takes exponents within this range (NUMERIC_MAX_PRECISION). */
const MAX_EXPONENT = 1000;
/** ... and at most this many digits after the decimal point (NUMERIC_DSCALE_MAX). */
const MAX_SCALE = 16383;

/**
 * Why PostgreSQL's `numeric` would refuse a number that JavaScript reads as finite (`1e-20000`,
 * `0.000...1` with 20,000 zeros), or undefined. `text` already matches the number syntax.
 */
export function numericProblem(text: string): string | undefined {
  const [mantissa = '', exponentText] = text.toLowerCase().split('e');
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  if (Math.abs(exponent) > MAX_EXPONENT) return `its exponent ${exponent} is outside PostgreSQL's ±${MAX_EXPONENT}`;
  const fraction = mantissa.split('.')[1] ?? '';
  if (fraction.length - exponent > MAX_SCALE)
    return `it has more than ${MAX_SCALE} digits after the decimal point, more than PostgreSQL stores`;
  return undefined;
}
