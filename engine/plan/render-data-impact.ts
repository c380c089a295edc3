import type { DataImpact, SegmentImpact } from './plan';

/** Most sample members a table cell or a text line names. */
const SHOWN = 3;

/** The data impact as a reviewer reads it in a pull request: one table of segments, one of destinations. */
export function renderDataImpactMarkdown(impact: DataImpact): string[] {
  const out = [
    '**Data impact** (on current data)',
    '',
    '| segment | because | members before | after | entering | exiting | sample |',
    '|---|---|---:|---:|---:|---:|---|',
  ];
  for (const s of impact.segments) {
    const because = s.via.length === 0 ? 'changed' : `uses ${s.via.map((v) => `\`${v}\``).join(', ')}`;
    const after = s.persons ? `${s.sizeAfter} (${persons(s.persons.after)})` : String(s.sizeAfter);
    const before = s.persons ? `${s.sizeBefore} (${persons(s.persons.before)})` : String(s.sizeBefore);
    out.push(
      `| \`${s.segment}\` | ${because} | ${before} | ${after} | +${s.entered} | -${s.exited} | ${escapeCell(sampleText(s))} |`,
    );
  }
  out.push('');
  if (impact.destinations.length > 0) {
    out.push('| destination | segments | adds | removes |', '|---|---|---:|---:|');
    for (const d of impact.destinations)
      out.push(
        `| \`${d.destination}\` | ${d.segments.map((s) => `\`${s}\``).join(', ')} | +${d.adds} | -${d.removes} |`,
      );
    out.push('');
  }
  return out;
}

/** The data impact for a terminal: one line per segment and per destination. */
export function renderDataImpactText(impact: DataImpact): string[] {
  const lines = ['Data impact on current data:'];
  for (const s of impact.segments) {
    const because = s.via.length === 0 ? 'changed' : `uses ${s.via.join(', ')}`;
    const persons = s.persons ? `; persons activated ${s.persons.before} -> ${s.persons.after}` : '';
    const sample = sampleText(s);
    lines.push(
      `  Segment/${s.segment} (${because}): ${s.sizeBefore} -> ${s.sizeAfter} ${s.subject === 'account' ? 'accounts' : 'members'} (+${s.entered} entered, -${s.exited} exited)${persons}${sample ? `; ${sample}` : ''}`,
    );
  }
  for (const d of impact.destinations)
    lines.push(`  Destination/${d.destination}: +${d.adds} to add, -${d.removes} to remove (${d.segments.join(', ')})`);
  return lines;
}

/** `+ann@x.com, +bob@y.com, - carl@z.com`: a few entering (+) and exiting (-) members by label or id. */
function sampleText(s: SegmentImpact): string {
  const name = (m: { subjectId: number; label: string | null }) => m.label ?? `#${m.subjectId}`;
  const entering = s.enteringSample.slice(0, SHOWN).map((m) => `+${name(m)}`);
  const exiting = s.exitingSample.slice(0, SHOWN).map((m) => `-${name(m)}`);
  const more = s.entered + s.exited - entering.length - exiting.length;
  return [...entering, ...exiting, ...(more > 0 ? [`${more} more`] : [])].join(', ');
}

function persons(n: number): string {
  return `${n} person${n === 1 ? '' : 's'}`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
