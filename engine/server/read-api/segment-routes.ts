import { type AppliedSegment, readAppliedSegments } from '../../segment/read-applied-segments';
import { readMembers } from '../../segment/read-members';
import { readLastSegmentRuns, readSegmentRuns } from '../../segment/read-segment-runs';
import { ok, type ReadAnswer, type ReadRequest, type ReadRoute, refuse } from './read-route';

/**
 * `GET /v1/segments`, `/v1/segments/<name>`, `/v1/segments/<name>/members` and
 * `/v1/segments/<name>/runs`: the applied segments with their size and last run, one segment's
 * members (as `roster segment members --format json`) and its runs (as `roster segment sizes`).
 */
export const segmentRoutes: ReadRoute[] = [
  { path: /^\/v1\/segments$/, accepts: [], answer: listSegments },
  { path: /^\/v1\/segments\/([^/]+)$/, accepts: [], answer: getSegment },
  { path: /^\/v1\/segments\/([^/]+)\/members$/, accepts: ['limit', 'offset', 'asOf'], answer: listMembers },
  { path: /^\/v1\/segments\/([^/]+)\/runs$/, accepts: ['limit'], answer: listRuns },
];

/** Default page sizes, as the CLI's. */
const MEMBERS_LIMIT = 100;
const RUNS_LIMIT = 50;

async function listSegments(request: ReadRequest): Promise<ReadAnswer> {
  const segments = (await readAppliedSegments(request.db, request.sandbox)).sort((a, b) => (a.name < b.name ? -1 : 1));
  return ok({ sandbox: request.sandbox, segments: await describe(request, segments) });
}

function getSegment(request: ReadRequest): Promise<ReadAnswer> {
  return withSegment(request, async (segment) => ok((await describe(request, [segment]))[0]));
}

function listMembers(request: ReadRequest): Promise<ReadAnswer> {
  return withSegment(request, async (segment) => {
    const { limit = MEMBERS_LIMIT, offset = 0, asOf } = request.query;
    const page = await readMembers(request.db, request.sandbox, segment.name, {
      limit,
      offset,
      ...(asOf ? { asOf } : {}),
    });
    return ok({ segment: segment.name, total: page.total, offset, members: page.members });
  });
}

function listRuns(request: ReadRequest): Promise<ReadAnswer> {
  return withSegment(request, async (segment) => {
    const runs = await readSegmentRuns(request.db, request.sandbox, segment.name, request.query.limit ?? RUNS_LIMIT);
    return ok({ segment: segment.name, runs });
  });
}

/** Runs `answer` with the applied segment the path names, or answers 404 naming the applied ones. */
async function withSegment(
  request: ReadRequest,
  answer: (segment: AppliedSegment) => Promise<ReadAnswer>,
): Promise<ReadAnswer> {
  const name = request.params[0]!;
  const segments = await readAppliedSegments(request.db, request.sandbox);
  const segment = segments.find((s) => s.name === name);
  if (segment) return answer(segment);
  const applied = segments.map((s) => s.name).sort();
  return refuse(
    404,
    'unknown_segment',
    `Segment/${name} is not applied to sandbox ${request.sandbox} (applied: ${applied.join(', ') || 'none'})`,
  );
}

/**
 * The segments as the API shows them: the applied revision, how and why they are evaluated, size and
 * last run. The size is the last successful run's: every membership change is written by a run, one
 * at a time per segment, so it is the current membership count without counting the members again.
 */
async function describe(request: ReadRequest, segments: AppliedSegment[]) {
  const lastRuns = await readLastSegmentRuns(
    request.db,
    request.sandbox,
    segments.map((s) => s.name),
  );
  return segments.map((s) => ({
    name: s.name,
    subject: s.spec.subject,
    revision: s.revision,
    evaluation: s.evaluation,
    destinations: s.destinations,
    dependsOn: s.dependsOn,
    size: lastRuns.get(s.name)?.size ?? 0,
    lastRun: lastRuns.get(s.name) ?? null,
  }));
}
