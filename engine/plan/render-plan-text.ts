import { keptPulumiManagedLines } from './keep-pulumi-managed';
import {
  afterApplyNote,
  DRIFT_HEADING,
  databaseNotes,
  type Plan,
  type PlannedAction,
  type PlannedChange,
  summarizePlan,
} from './plan';
import { renderDataImpactText } from './render-data-impact';

/** ANSI colours, or none (when output is not a terminal, or NO_COLOR is set). */
export interface Palette {
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  magenta(text: string): string;
  bold(text: string): string;
}

const ansi = (code: number) => (text: string) => `\u001b[${code}m${text}\u001b[0m`;
export const COLOURS: Palette = { green: ansi(32), yellow: ansi(33), red: ansi(31), magenta: ansi(35), bold: ansi(1) };
export const NO_COLOURS: Palette = {
  green: (t) => t,
  yellow: (t) => t,
  red: (t) => t,
  magenta: (t) => t,
  bold: (t) => t,
};

const SYMBOL: Record<PlannedAction, string> = { create: '+', update: '~', replace: '-/+', delete: '-' };

/** The plan for a terminal: a summary line, then each change with its diff, then interrupted applies. */
export function renderPlanText(plan: Plan, palette: Palette = NO_COLOURS): string {
  const s = summarizePlan(plan);
  const lines: string[] = [];
  const notes = databaseNotes(plan.database, plan.sandbox);
  for (const note of notes) lines.push(palette.yellow(`Note: ${note}.`));
  if (notes.length > 0) lines.push('');
  if (plan.drift && plan.drift.length > 0) {
    lines.push(palette.yellow(`${DRIFT_HEADING}:`));
    for (const d of plan.drift) lines.push(palette.yellow(`  ! ${d.key}: ${d.reason}`));
    lines.push('');
  }
  for (const run of plan.interrupted) {
    lines.push(
      palette.red(
        `! apply ${run.applyId} by ${run.appliedBy}, started ${run.startedAt}, was interrupted; not confirmed:`,
      ),
    );
    for (const op of run.pending) lines.push(palette.red(`    ${op.action} ${op.key}`));
    lines.push('  `roster apply` completes it.', '');
  }
  const kept = keptPulumiManagedLines(plan);
  for (const [i, line] of kept.entries()) lines.push(i < kept.length - 1 ? palette.yellow(`! ${line}`) : `  ${line}`);
  if (kept.length > 0) lines.push('');
  if (plan.changes.length === 0) {
    lines.push(`No changes. Sandbox ${plan.sandbox} matches the files (${s.unchanged} resources unchanged).`);
    return `${lines.join('\n')}\n`;
  }
  for (const change of plan.changes) {
    const rendered = renderChange(plan.dataImpact ? { ...change, impact: undefined } : change, palette);
    lines.push(...rendered);
    if (rendered.length > 1) lines.push(''); // a blank line after a change with a diff, for the eye
  }
  if (lines[lines.length - 1] !== '') lines.push('');
  if (plan.dataImpact && plan.dataImpact.segments.length > 0) lines.push(...renderDataImpactText(plan.dataImpact), '');
  lines.push(
    palette.bold(
      `Plan for sandbox ${plan.sandbox}: ${s.create} to create, ${s.update} to update, ${s.replace} to replace, ${s.delete} to delete, ${s.unchanged} unchanged.`,
    ),
  );
  const evaluation = afterApplyNote(plan.afterApply);
  if (evaluation) lines.push(`${evaluation}.`);
  return `${lines.join('\n')}\n`;
}

function renderChange(change: PlannedChange, palette: Palette): string[] {
  const colour = { create: palette.green, update: palette.yellow, replace: palette.magenta, delete: palette.red }[
    change.action
  ];
  const file = change.after?.sourceFile ?? change.before?.sourceFile;
  const managed = change.before?.managedBy === 'pulumi' ? ' [managed by Pulumi]' : '';
  const head = colour(`${SYMBOL[change.action]} ${change.action} ${change.key}${file ? ` (${file})` : ''}${managed}`);
  const lines = [head];
  if (change.replaceReason) lines.push(`    because ${change.replaceReason}`);
  if (change.impact) lines.push(`    data impact: ${impactText(change.impact)}`);
  if (change.action === 'update' || change.action === 'replace') {
    for (const line of change.diff.split('\n')) lines.push(`    ${colourDiffLine(line, palette)}`);
  }
  return lines;
}

function colourDiffLine(line: string, palette: Palette): string {
  if (line.startsWith('+')) return palette.green(line);
  if (line.startsWith('-')) return palette.red(line);
  return line;
}

/** `48 -> 52 members (+6 entered, -2 exited)`. */
export function impactText(impact: NonNullable<PlannedChange['impact']>): string {
  return `${impact.sizeBefore} -> ${impact.sizeAfter} members (+${impact.entered} entered, -${impact.exited} exited)`;
}
