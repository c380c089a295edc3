import { profileExists } from '../../runtime/profiles/profile-exists';
import { sandboxSchema } from '../../runtime/sandbox-schema';
import { compileSegment } from '../../segment/compile-segment';
import type { SegmentRunResult } from '../../segment/evaluate-segment';
import { evaluateSegmentCycle } from '../../segment/evaluate-segment-cycle';
import { type ExplainedNode, explainSegment } from '../../segment/explain-segment';
import { readAppliedSegments } from '../../segment/read-applied-segments';
import { readMembers } from '../../segment/read-members';
import { readSegmentRuns } from '../../segment/read-segment-runs';
import { type CliIo, EXIT } from '../cli-io';
import { CommandError } from '../command-error';
import { UsageError } from '../usage-error';
import { findSegment } from './find-segment';
import { openSandbox } from './open-sandbox';

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
    // One cycle at one time: the batch segments' event conditions share one scan of the events.
    const cycle = await evaluateSegmentCycle(db.pool, options.sandbox, chosen, now, {
      onResult: (result) => {
        results.push(result);
        if (options.format === 'text')
          io.stdout(
            `Segment/${result.segment} (revision ${result.revision}): ${result.size} members, ${result.entered} entered, ${result.exited} exited (run ${result.runId}, ${result.milliseconds} ms)\n`,
          );
      },
      onFailure: (error) => {
        io.stderr(`SEGMENT_FAILED ${error.message}\n`); // the others still run; exit 1 at the end
        failed++;
        return undefined;
      },
    });
    if (cycle.sharingError)
      io.stderr(`warning: the event conditions were counted one segment at a time: ${cycle.sharingError}\n`);
    if (options.format === 'json')
      io.stdout(
        `${JSON.stringify({ sandbox: options.sandbox, evaluatedAt: now.toISOString(), results, sharedEventCounts: cycle }, null, 2)}\n`,
      );
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
    if (!(await profileExists(db.pool, options.sandbox, { entity: segment.spec.subject, id: options.subjectId })))
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
