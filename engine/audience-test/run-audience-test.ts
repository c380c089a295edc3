import { randomBytes, randomUUID } from 'node:crypto';
import * as os from 'node:os';
import type { Pool } from 'pg';
import { localProviders } from '../../providers/local-providers';
import { executePlan } from '../deploy/execute-plan';
import type { ResourceGraph } from '../graph/build-graph';
import { runStitch } from '../identity/run-stitch';
import { buildPlan } from '../plan/build-plan';
import { migrateSandbox } from '../runtime/migrate-sandbox';
import { readAppliedConfig } from '../runtime/registry/read-applied-config';
import { sandboxSchema } from '../runtime/sandbox-schema';
import { evaluateSegmentCycle } from '../segment/evaluate-segment-cycle';
import { readAppliedSegments } from '../segment/read-applied-segments';
import type { AudienceTest, AudienceTestResult } from './audience-test';
import { checkExpectations } from './check-expectations';
import { loadFixtures } from './load-fixtures';

/** What a test run needs of the project and the database. */
export interface TestProject {
  pool: Pool;
  graph: ResourceGraph;
  configRoot: string;
}

/**
 * Runs one audience test in a sandbox of its own (`roster_test_<random>`), dropped afterwards
 * whatever happens: the project applied through the providers, the fixtures loaded through the
 * sources' mappings, identities stitched, every segment evaluated in dependency order, and the
 * expected members compared. A failure to run is reported in the result, not thrown.
 */
export async function runAudienceTest(project: TestProject, test: AudienceTest): Promise<AudienceTestResult> {
  const sandbox = `test_${randomBytes(6).toString('hex')}`;
  const result: AudienceTestResult = { name: test.name, file: test.file, expectations: [], quarantined: [] };
  try {
    await migrateSandbox(project.pool, sandbox);
    await applyProject(project, sandbox);
    const config = await readAppliedConfig(project.pool, sandbox);
    result.quarantined = await loadFixtures(project.pool, sandbox, config, test);
    await runStitch(project.pool, sandbox);
    const segments = await readAppliedSegments(project.pool, sandbox);
    // A test's own `now` keeps time windows stable from one day to the next.
    const now = test.spec.now ? new Date(test.spec.now) : new Date();
    // As `roster segment run --all` and `roster run` evaluate them: one cycle (decision 74).
    let failure: Error | undefined;
    await evaluateSegmentCycle(project.pool, sandbox, segments, now, {
      onFailure: (error) => {
        failure = error;
        return 'stop';
      },
    });
    if (failure) throw failure;
    result.expectations = await checkExpectations(project.pool, sandbox, { config, segments }, test);
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  } finally {
    await project.pool.query(`drop schema if exists ${sandboxSchema(sandbox)} cascade`);
  }
  return result;
}

/** The same plan and providers as `roster apply`, into the empty sandbox; no lock: nobody else knows its name. */
async function applyProject(project: TestProject, sandbox: string): Promise<void> {
  const context = { sandbox, managedBy: 'roster' as const, configRoot: project.configRoot };
  const plan = buildPlan(project.graph, [], context);
  const run = { applyId: randomUUID(), appliedBy: 'roster test', host: os.hostname(), pid: process.pid };
  const outcome = await executePlan(project.pool, plan, run, localProviders(project.pool));
  if (outcome.failed)
    throw new Error(`applying ${outcome.failed.change.key} to the test sandbox failed: ${outcome.failed.error}`);
}
