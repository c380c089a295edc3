import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { loadProject } from '../../config/load-project';
import { parseConfig } from '../../config/parse-config';
import { formatProblem, type Problem } from '../../config/problem';
import { allowListedEnv } from '../../config/render-template';
import type { SegmentResourceItem } from '../../config/resource';
import {
  declaredNamespaces,
  identityReferenceProblems,
  sourceReferenceProblems,
} from '../../rules/check-provenance-references';
import type { Queryable } from '../../runtime/queryable';
import { type AppliedConfig, readAppliedConfig } from '../../runtime/registry/read-applied-config';
import { sandboxSchema } from '../../runtime/sandbox-schema';
import { compileSegment } from '../../segment/compile-segment';
import type { ConditionNode } from '../../segment/condition-ast';
import { evaluateSegment, SegmentEvaluationError, type SegmentRunResult } from '../../segment/evaluate-segment';
import { type ExplainedNode, explainSegment } from '../../segment/explain-segment';
import { parseCondition } from '../../segment/parse-condition';
import { previewSegment } from '../../segment/preview-segment';
import { type AppliedSegment, readAppliedSegments } from '../../segment/read-applied-segments';
import { readMembers } from '../../segment/read-members';
import { readSegmentRuns } from '../../segment/read-segment-runs';
import { resolveEvaluationMode } from '../../segment/resolve-evaluation-mode';
import { type CliIo, EXIT } from '../cli-io';
import { CommandError } from '../command-error';
import { UsageError } from '../usage-error';
import { openSandbox, openSandboxReadOnly } from './open-sandbox';

async function findSegment(segments: AppliedSegment[], name: string, sandbox: string): Promise<AppliedSegment> {
  const segment = segments.find((s) => s.name === name);
  if (!segment)
    throw new CommandError(
      'SEGMENT_NOT_FOUND',
      `Segment/${name} is not applied to sandbox ${sandbox} (applied: ${segments.map((s) => s.name).join(', ') || 'none'}); apply it first`,
    );
  return segment;
}

/** `roster segment run NAME | --all`: batch evaluation now; with --all, every segment after the ones it references. */
export async function runSegmentRun(
  options: { sandbox: string; name?: string; all: boolean; format: 'text' | 'json' },
  io: CliIo,
): Promise<number> {
  const db = await openSandbox(options.sandbox, io);
  try {
    const segments = await readAppliedSegments(db.pool, options.sandbox);
    const chosen = options.all ? segments : [await findSegment(segments, options.name ?? '', options.sandbox)];
    const now = new Date();
    const results: SegmentRunResult[] = [];
    let failed = 0;
    for (const segment of chosen) {
      const result = await evaluateSegment(db.pool, options.sandbox, segment, now).catch((error) => {
        if (!(error instanceof SegmentEvaluationError)) throw error;
        io.stderr(`SEGMENT_FAILED ${error.message}\n`); // the others still run; exit 1 at the end
        failed++;
        return undefined;
      });
      if (!result) continue;
      results.push(result);
      if (options.format === 'text')
        io.stdout(
          `Segment/${result.segment} (revision ${result.revision}): ${result.size} members, ${result.entered} entered, ${result.exited} exited (run ${result.runId}, ${result.milliseconds} ms)\n`,
        );
    }
    if (options.format === 'json')
      io.stdout(`${JSON.stringify({ sandbox: options.sandbox, evaluatedAt: now.toISOString(), results }, null, 2)}\n`);
    return failed > 0 ? EXIT.failed : EXIT.ok;
  } finally {
    await db.close();
  }
}

/** `roster segment sql NAME`: the statement a batch run executes, and its parameters, for review. */
export async function runSegmentSql(options: { sandbox: string; name: string }, io: CliIo): Promise<number> {
  const db = await openSandbox(options.sandbox, io);
  try {
    const segment = await findSegment(
      await readAppliedSegments(db.pool, options.sandbox),
      options.name,
      options.sandbox,
    );
    const compiled = compileSegment(sandboxSchema(options.sandbox), segment.spec.subject, segment.where, new Date());
    io.stdout(
      `-- Segment/${segment.name} revision ${segment.revision} (${segment.evaluation.mode}: ${segment.evaluation.reason})\n${compiled.text};\n`,
    );
    io.stdout(`-- parameters:\n${compiled.params.map((p, i) => `--   $${i + 1} = ${JSON.stringify(p)}`).join('\n')}\n`);
    return EXIT.ok;
  } finally {
    await db.close();
  }
}

/** `roster segment members NAME`: current members (or as of a time), paged, as text, CSV or JSON. */
export async function runSegmentMembers(
  options: {
    sandbox: string;
    name: string;
    limit: number;
    offset: number;
    asOf?: Date;
    format: 'text' | 'csv' | 'json';
  },
  io: CliIo,
): Promise<number> {
  const db = await openSandbox(options.sandbox, io);
  try {
    await findSegment(await readAppliedSegments(db.pool, options.sandbox), options.name, options.sandbox);
    const page = await readMembers(db.pool, options.sandbox, options.name, {
      limit: options.limit,
      offset: options.offset,
      ...(options.asOf ? { asOf: options.asOf } : {}),
    });
    if (options.format === 'json')
      io.stdout(
        `${JSON.stringify({ segment: options.name, total: page.total, offset: options.offset, members: page.members }, null, 2)}\n`,
      );
    else if (options.format === 'csv')
      io.stdout(
        `subject_id,entered_at,label,detail\n${page.members.map((m) => [m.subjectId, m.enteredAt, m.label, m.detail].map(csvCell).join(',')).join('\n')}\n`,
      );
    else {
      io.stdout(
        `Segment/${options.name}: ${page.total} members${options.asOf ? ` as of ${options.asOf.toISOString()}` : ''}; showing ${page.members.length} from ${options.offset}.\n`,
      );
      for (const m of page.members)
        io.stdout(`  ${m.subjectId}\t${m.label ?? ''}\t${m.detail ?? ''}\tentered ${m.enteredAt}\n`);
    }
    return EXIT.ok;
  } finally {
    await db.close();
  }
}

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * `roster segment preview FILE|NAME`: what a segment (a resource file not yet applied, or an applied
 * segment by name) would contain on current data, against its current membership. Writes nothing.
 */
export async function runSegmentPreview(
  options: { sandbox: string; target: string; format: 'text' | 'json' },
  io: CliIo,
): Promise<number> {
  // Reads only (decision 56): a sandbox without its tables has no data to preview against.
  const { db, state } = await openSandboxReadOnly(options.sandbox, io);
  try {
    if (!state.exists || state.pending.length > 0)
      throw new CommandError(
        'SEGMENT_PREVIEW',
        `sandbox ${options.sandbox} ${state.exists ? `has ${state.pending.length} migration(s) pending` : 'does not exist'}, so there is no data to preview against; roster apply --sandbox ${options.sandbox} ${state.exists ? 'runs them' : 'creates it'}`,
      );
    const segment = await previewTarget(db.pool, options, io);
    const preview = await previewSegment(
      db.pool,
      options.sandbox,
      { name: segment.name, subject: segment.subject, where: segment.where },
      new Date(),
      10,
    );
    if (options.format === 'json') {
      io.stdout(`${JSON.stringify({ segment: segment.name, evaluation: segment.evaluation, ...preview }, null, 2)}\n`);
      return EXIT.ok;
    }
    io.stdout(`Segment/${segment.name} (${segment.evaluation.mode}: ${segment.evaluation.reason})\n`);
    io.stdout(
      `  ${preview.sizeBefore} -> ${preview.sizeAfter} members (+${preview.entered} entering, -${preview.exited} exiting) on current data\n`,
    );
    for (const member of preview.sample) io.stdout(`  ${member.subjectId}\t${member.label ?? ''}\n`);
    return EXIT.ok;
  } finally {
    await db.close();
  }
}

async function previewTarget(pool: Queryable, options: { sandbox: string; target: string }, io: CliIo) {
  const file = path.resolve(io.cwd, options.target);
  if (!(await fs.stat(file).catch(() => undefined))?.isFile()) {
    const applied = await findSegment(
      await readAppliedSegments(pool, options.sandbox),
      options.target,
      options.sandbox,
    );
    return { name: applied.name, subject: applied.spec.subject, where: applied.where, evaluation: applied.evaluation };
  }
  // The file's project (roster.yaml at its folder or above) gives the template its `vars`.
  const project = await loadProject({ dir: path.dirname(file), cwd: io.cwd, sandbox: options.sandbox });
  const parsed = parseConfig(
    [
      {
        displayPath: options.target,
        relativePath: path.basename(file),
        absolutePath: file,
        bytes: await fs.readFile(file),
      },
    ],
    { sandbox: options.sandbox, env: allowListedEnv(io.env), vars: project.vars },
  );
  parsed.problems.unshift(...project.problems);
  const resource = parsed.resources.find((r): r is SegmentResourceItem => r.kind === 'Segment');
  if (parsed.problems.length > 0 || !resource) {
    throw new CommandError(
      'SEGMENT_PREVIEW',
      parsed.problems.length > 0
        ? `${options.target} has problems:\n${parsed.problems.map(formatProblem).join('\n')}`
        : `${options.target} declares no Segment`,
    );
  }
  const applied = await readAppliedConfig(pool, options.sandbox);
  const checked = parseCondition(resource.spec.where, resource.spec.subject, '/spec/where', applied.catalog);
  const references = checked.node ? appliedReferenceProblems(resource, checked.node, applied) : [];
  if (!checked.node || references.length > 0) {
    const problems = [
      ...checked.findings.map((f) =>
        formatProblem({
          code: f.code,
          file: options.target,
          ...resource.origin.locate(f.pointer),
          pointer: f.pointer,
          message: f.message,
        }),
      ),
      ...references.map((p) => formatProblem({ ...p, file: options.target })),
    ];
    throw new CommandError(
      'SEGMENT_PREVIEW',
      `${options.target} does not check against the sandbox's attribute catalog:\n${problems.join('\n')}`,
    );
  }
  return {
    name: resource.name,
    subject: resource.spec.subject,
    where: checked.node,
    evaluation: resolveEvaluationMode(resource.spec.subject, checked.node, resource.spec.evaluation),
  };
}

/** Sources and identity namespaces a previewed file names that the sandbox has not applied. */
function appliedReferenceProblems(
  segment: SegmentResourceItem,
  node: ConditionNode,
  applied: AppliedConfig,
): Problem[] {
  const documents = applied.resources.map((r) => ({ kind: r.kind, spec: r.document.spec }));
  return [
    ...sourceReferenceProblems(segment, node, new Set(applied.sources.keys())),
    ...identityReferenceProblems(segment, node, declaredNamespaces(documents)),
  ];
}

/** `roster segment explain NAME --person ID | --account ID`: why one subject is or is not a member. */
export async function runSegmentExplain(
  options: { sandbox: string; name: string; subject: 'person' | 'account'; subjectId: number; format: 'text' | 'json' },
  io: CliIo,
): Promise<number> {
  const db = await openSandbox(options.sandbox, io);
  try {
    const segment = await findSegment(
      await readAppliedSegments(db.pool, options.sandbox),
      options.name,
      options.sandbox,
    );
    if (segment.spec.subject !== options.subject) {
      throw new UsageError(
        `Segment/${segment.name} selects ${segment.spec.subject}s: use --${segment.spec.subject} ID`,
      );
    }
    const table = segment.spec.subject === 'person' ? 'persons' : 'accounts';
    const { rows } = await db.pool.query(`select 1 from ${sandboxSchema(options.sandbox)}.${table} where id = $1`, [
      options.subjectId,
    ]);
    if (rows.length === 0)
      throw new CommandError(
        'SUBJECT_NOT_FOUND',
        `no ${segment.spec.subject} ${options.subjectId} in sandbox ${options.sandbox}; find ids with roster profile get or roster segment members`,
      );
    const tree = await explainSegment(db.pool, options.sandbox, segment, options.subjectId, new Date());
    if (options.format === 'json') {
      io.stdout(
        `${JSON.stringify({ segment: segment.name, subject: segment.spec.subject, subjectId: options.subjectId, member: tree.held, tree }, null, 2)}\n`,
      );
      return EXIT.ok;
    }
    io.stdout(
      `${segment.spec.subject} ${options.subjectId} ${tree.held ? 'IS' : 'is NOT'} a member of Segment/${segment.name} now:\n`,
    );
    const print = (node: ExplainedNode, depth: number) => {
      io.stdout(`${'  '.repeat(depth + 1)}${node.held ? '[x]' : '[ ]'} ${node.description}  (${node.pointer})\n`);
      for (const row of node.evidence ?? []) io.stdout(`${'  '.repeat(depth + 3)}- ${row}\n`);
      for (const child of node.children) print(child, depth + 1);
    };
    print(tree, 0);
    return EXIT.ok;
  } finally {
    await db.close();
  }
}

/** `roster segment sizes NAME`: the segment's size after each run, with entries and exits (newest first). */
export async function runSegmentSizes(
  options: { sandbox: string; name: string; limit: number; format: 'text' | 'json' },
  io: CliIo,
): Promise<number> {
  const db = await openSandbox(options.sandbox, io);
  try {
    const rows = await readSegmentRuns(db.pool, options.sandbox, options.name, options.limit);
    if (options.format === 'json') {
      io.stdout(`${JSON.stringify({ segment: options.name, runs: rows }, null, 2)}\n`);
      return EXIT.ok;
    }
    io.stdout(`Segment/${options.name}: ${rows.length} run(s), newest first\n`);
    for (const r of rows)
      io.stdout(
        `  ${r.evaluatedAt}  ${r.mode.padEnd(9)}  rev ${r.revision}  ${String(r.size).padStart(7)} members  +${r.entered} -${r.exited}\n`,
      );
    return EXIT.ok;
  } finally {
    await db.close();
  }
}
