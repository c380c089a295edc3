import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../config/load-config';
import { formatProblem, type Problem, sortProblems } from '../../config/problem';
import type { Resource } from '../../config/resource';
import { validateConfig } from '../../rules/validate-config';
import { allowedPrivateHosts } from '../../util/private-address';
import { type CliIo, EXIT } from '../cli-io';

export interface ValidateOptions {
  dir: string;
  sandbox: string;
  format: 'text' | 'json';
}

/** `roster validate`: every problem of every file in one pass; exit 0 when clean, 1 when not. */
export async function runValidate(options: ValidateOptions, io: CliIo): Promise<number> {
  const root = path.resolve(io.cwd, options.dir);
  const missing = await missingDirectoryProblem(root, options.dir);
  const loaded = missing
    ? undefined
    : await loadConfig({ root, displayRoot: options.dir, sandbox: options.sandbox, environment: io.env });
  const resources = loaded?.resources ?? [];
  const validated = validateConfig(resources, {
    allowedPrivateHosts: allowedPrivateHosts(io.env),
    declaredKeys: loaded?.declaredKeys ?? new Set(),
    incomplete: (loaded?.unreadableFiles.length ?? 0) > 0,
  });
  const problems = sortProblems([...(missing ? [missing] : []), ...(loaded?.problems ?? []), ...validated.problems]);
  if (loaded && loaded.fileCount === 0 && problems.length === 0) {
    problems.push({
      code: 'CONFIG_NO_FILES',
      file: options.dir,
      line: 0,
      column: 0,
      pointer: '',
      message: 'no *.yaml, *.yml or *.json resource files found; pass the directory holding your resources',
    });
  }
  const report: ValidationReport = {
    valid: problems.length === 0,
    directory: options.dir,
    sandbox: options.sandbox,
    fileCount: loaded?.fileCount ?? 0,
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
  if (!report.valid) {
    const files = new Set(report.problems.filter((p) => p.line > 0).map((p) => p.file)).size;
    const lines = report.problems.map(formatProblem);
    const where = files > 0 ? ` in ${plural(files, 'file')}` : '';
    return `${lines.join('\n')}\n\n${plural(report.problems.length, 'problem')}${where}; nothing was changed.\n`;
  }
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

async function missingDirectoryProblem(root: string, shown: string): Promise<Problem | undefined> {
  const stat = await fs.stat(root).catch(() => undefined);
  if (stat?.isDirectory()) return undefined;
  const message = stat
    ? 'is a file, not a directory; pass the directory holding your resource files'
    : 'no such directory; pass the directory holding your resource files';
  return { code: 'CONFIG_READ', file: shown, line: 0, column: 0, pointer: '', message };
}
