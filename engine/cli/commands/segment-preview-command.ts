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
import type { ConditionNode } from '../../segment/condition-ast';
import { parseCondition } from '../../segment/parse-condition';
import { previewSegment } from '../../segment/preview-segment';
import { readAppliedSegments } from '../../segment/read-applied-segments';
import { resolveEvaluationMode } from '../../segment/resolve-evaluation-mode';
import { type CliIo, EXIT } from '../cli-io';
import { CommandError } from '../command-error';
import { findSegment } from './find-segment';
import { openSandboxReadOnly } from './open-sandbox';

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
  const documents = [...applied.identityMappings.values()].map((m) => ({ kind: 'IdentityMapping', spec: m.spec }));
  return [
    ...sourceReferenceProblems(segment, node, new Set(applied.sources.keys())),
    ...identityReferenceProblems(segment, node, declaredNamespaces(documents)),
  ];
}
