import { html, type SafeHtml } from './html';

/** A count with thousands separators (always en-US: pages read the same on every server). */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** An ISO time as `2026-11-01 09:30:00 UTC`, or a dash when there is none. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  return `${iso.replace('T', ' ').replace(/(\.\d+)?Z$/, '')} UTC`;
}

/** One series of a chart, drawn by assets/console.js with uPlot. */
export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
}

/**
 * An element uPlot draws into: the data travels in an attribute (escaped like any other value), so
 * no inline script is needed and the content security policy can forbid them.
 */
export function chart(
  kind: 'line' | 'sparkline',
  times: readonly string[],
  series: readonly ChartSeries[],
  label: string,
): SafeHtml {
  const spec = { kind, x: times.map((t) => Math.floor(Date.parse(t) / 1000)), series };
  return html`<div class="${kind === 'line' ? 'chart' : 'spark'}" role="img" aria-label="${label}" data-chart="${JSON.stringify(spec)}">${kind === 'line' ? label : ''}</div>`;
}

/** `/path?name=value...`, each value encoded; undefined values left out. */
export function link(path: string, query: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) search.set(name, String(value));
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

/** A path segment for a resource name (names are `[a-z0-9-]`, but the path must not trust that). */
export function pathPart(name: string): string {
  return encodeURIComponent(name);
}
