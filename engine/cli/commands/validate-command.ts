import type { Problem } from '../../config/problem';
import type { Resource } from '../../config/resource';
import { checkConfigDir, renderProblemsText } from '../../deploy/check-config-dir';
import { type CliIo, EXIT } from '../cli-io';

export interface ValidateOptions {
  dir: string;
  sandbox: string;
  format: 'text' | 'json';
}

/** `roster validate`: every problem of every file in one pass; exit 0 when clean, 1 when not. */
export async function runValidate(options: ValidateOptions, io: CliIo): Promise<number> {
  const checked = await checkConfigDir(options.dir, options.sandbox, io);
  const { validated, problems } = checked;
  const report: ValidationReport = {
    valid: problems.length === 0,
    directory: checked.displayRoot,
    sandbox: options.sandbox,
    fileCount: checked.fileCount,
    resourceCount: validated.graph.resources.size,
    kinds: countKinds([...validated.graph.resources.values()]),
    problems,
    segments: validated.segments.map(({ resource, evaluation: { requested, mode, reason } }) => ({
      name: resource.name,
      subject: resource.spec.subject,
      requested,
      mode,
      reason,
    })),
  };
  io.stdout(options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderText(report));
  return report.valid ? EXIT.ok : EXIT.failed;
}

/** The `--format json` document; documented in docs/cli.md, stable across releases of v1. */
export interface ValidationReport {
  valid: boolean;
  directory: string;
  sandbox: string;
  fileCount: number;
  resourceCount: number;
  kinds: Record<Resource['kind'], number>;
  problems: Problem[];
  segments: { name: string; subject: string; requested: string; mode: string; reason: string }[];
}

function renderText(report: ValidationReport): string {
  if (!report.valid) return renderProblemsText(report.problems);
  const { Source, IdentityMapping, Segment, Destination } = report.kinds;
  const out = [
    `${report.directory}: ${plural(report.resourceCount, 'resource')} in ${plural(report.fileCount, 'file')} are valid (sandbox ${report.sandbox}).`,
    `  ${plural(Source, 'source')}, ${plural(IdentityMapping, 'identity mapping')}, ${plural(Segment, 'segment')}, ${plural(Destination, 'destination')}`,
  ];
  if (report.segments.length > 0) {
    out.push('', 'Segment evaluation:');
    const width = Math.max(...report.segments.map((s) => s.name.length));
    for (const s of report.segments)
      out.push(`  ${s.name.padEnd(width)}  ${s.mode.padEnd(9)}  ${s.requested === 'auto' ? 'auto: ' : ''}${s.reason}`);
  }
  return `${out.join('\n')}\n`;
}

function countKinds(resources: readonly Resource[]): Record<Resource['kind'], number> {
  const counts = { Source: 0, IdentityMapping: 0, Segment: 0, Destination: 0 };
  for (const r of resources) counts[r.kind]++;
  return counts;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
