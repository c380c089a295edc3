import { keptPulumiManagedLines } from './keep-pulumi-managed';
import { afterApplyNote, DRIFT_HEADING, databaseNotes, type Plan, summarizePlan } from './plan';
import { renderDataImpactMarkdown } from './render-data-impact';

/** The plan as a pull-request comment: a summary table, then each change's diff in a collapsible block. */
export function renderPlanMarkdown(plan: Plan): string {
  const s = summarizePlan(plan);
  const out: string[] = [`### Roster plan for sandbox \`${plan.sandbox}\``, ''];
  for (const note of databaseNotes(plan.database, plan.sandbox)) out.push(`> **Note:** ${note}.`, '');
  if (plan.drift && plan.drift.length > 0) {
    out.push(`> **${DRIFT_HEADING}:**`);
    for (const d of plan.drift) out.push(`> - \`${d.key}\`: ${d.reason}`);
    out.push('');
  }
  for (const run of plan.interrupted) {
    out.push(
      `> **Interrupted apply** \`${run.applyId}\` by ${run.appliedBy} (started ${run.startedAt}) did not confirm: ${run.pending.map((p) => `${p.action} \`${p.key}\``).join(', ')}. The next \`roster apply\` completes it.`,
      '',
    );
  }
  const kept = keptPulumiManagedLines(plan);
  if (kept.length > 0) out.push(`> **Kept:** ${kept.join('. ')}`, '');
  out.push(
    '| create | update | replace | delete | unchanged |',
    '|---:|---:|---:|---:|---:|',
    `| ${s.create} | ${s.update} | ${s.replace} | ${s.delete} | ${s.unchanged} |`,
    '',
  );
  if (plan.changes.length === 0) {
    out.push('No changes: the sandbox matches the files.', '');
    return out.join('\n');
  }
  out.push('| | resource | file | note |', '|---|---|---|---|');
  const icon = { create: '🟢 create', update: '🟡 update', replace: '🟣 replace', delete: '🔴 delete' };
  for (const c of plan.changes) {
    const file = c.after?.sourceFile ?? c.before?.sourceFile ?? '';
    out.push(
      `| ${icon[c.action]} | \`${c.key}\` | ${file ? `\`${file}\`` : ''} | ${escapeCell([c.before?.managedBy === 'pulumi' ? 'managed by Pulumi' : '', c.replaceReason ?? ''].filter(Boolean).join('; '))} |`,
    );
  }
  out.push('');
  const impacts = plan.changes.filter((c) => c.impact);
  if (plan.dataImpact) out.push(...renderDataImpactMarkdown(plan.dataImpact));
  else if (impacts.length > 0) {
    out.push(
      '**Data impact** (on current data)',
      '',
      '| segment | members before | after | entering | exiting |',
      '|---|---:|---:|---:|---:|',
    );
    for (const c of impacts)
      out.push(
        `| \`${c.name}\` | ${c.impact!.sizeBefore} | ${c.impact!.sizeAfter} | +${c.impact!.entered} | -${c.impact!.exited} |`,
      );
    out.push('');
  }
  const evaluation = afterApplyNote(plan.afterApply);
  if (evaluation) out.push(`${evaluation}.`, '');
  for (const c of plan.changes) {
    out.push(
      `<details><summary>${c.action} <code>${c.key}</code></summary>`,
      '',
      '```diff',
      c.diff,
      '```',
      '',
      '</details>',
      '',
    );
  }
  return out.join('\n');
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
