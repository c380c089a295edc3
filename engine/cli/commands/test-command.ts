import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { AudienceTest, AudienceTestResult } from '../../audience-test/audience-test';
import { testPassed } from '../../audience-test/audience-test';
import { checkTestReferences } from '../../audience-test/check-test-references';
import { parseAudienceTests } from '../../audience-test/parse-audience-tests';
import { renderTestReport, type TestReportFormat } from '../../audience-test/render-test-report';
import { runAudienceTest } from '../../audience-test/run-audience-test';
import { formatProblem, type Problem, sortProblems } from '../../config/problem';
import { readConfigFiles } from '../../config/read-config-files';
import { allowListedEnv } from '../../config/render-template';
import { checkConfigDir } from '../../deploy/check-config-dir';
import { type Database, openDatabase } from '../../runtime/database';
import { type CliIo, EXIT } from '../cli-io';
import { CommandError } from '../command-error';

export interface TestOptions {
  dir: string;
  format: TestReportFormat;
  /** Write the report here instead of standard output. */
  output?: string;
  /** Only the tests whose name contains it. */
  filter?: string;
}

/** The sandbox name resource files are rendered for (the `sandbox` template variable) when tested. */
const RENDER_SANDBOX = 'test';

/**
 * `roster test [dir]`: every AudienceTest under DIR, each in a throwaway sandbox. Exit 0 when all
 * pass, 1 when one fails, 2 when the project or a test file is wrong (nothing is run then).
 */
export async function runTest(options: TestOptions, io: CliIo): Promise<number> {
  const checked = await checkConfigDir(options.dir, RENDER_SANDBOX, io);
  const loaded = checked.problems.length === 0 ? await loadTests(options, checked.root, io) : undefined;
  const resources = [...checked.validated.graph.resources.values()];
  const problems = sortProblems([
    ...checked.problems,
    ...(loaded?.problems ?? []),
    ...(loaded ? checkTestReferences(loaded.tests, resources) : []),
    ...(loaded ? await missingFixtureFiles(loaded.tests) : []),
  ]);
  if (problems.length > 0) {
    io.stderr(`${problems.map(formatProblem).join('\n')}\n\n${problems.length} problem(s); no test was run.\n`);
    return EXIT.usage;
  }
  const tests = loaded!.tests.filter((t) => options.filter === undefined || t.name.includes(options.filter));
  if (tests.length === 0) {
    const which = options.filter === undefined ? '' : ` whose name contains "${options.filter}"`;
    io.stderr(
      `CONFIG_TEST ${options.dir}: no AudienceTest${which} found; write tests as tests/*.yaml with kind: AudienceTest (see docs/cli.md)\n`,
    );
    return EXIT.usage;
  }
  const results = await runTests(tests, checked, io);
  const report = renderTestReport(results, options.format);
  if (options.output === undefined) io.stdout(report);
  else await writeReport(path.resolve(io.cwd, options.output), report);
  return results.every(testPassed) ? EXIT.ok : EXIT.failed;
}

async function loadTests(options: TestOptions, root: string, io: CliIo) {
  const read = await readConfigFiles(root, options.dir);
  return parseAudienceTests(read.files, { sandbox: RENDER_SANDBOX, env: allowListedEnv(io.env) });
}

/** Fixture files that are not there, located at the `file` key that names them. */
async function missingFixtureFiles(tests: readonly AudienceTest[]): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const test of tests)
    for (const [i, data] of test.spec.data.entries()) {
      if (data.file === undefined) continue;
      const stat = await fs.stat(path.resolve(test.dir, data.file)).catch(() => undefined);
      if (stat?.isFile()) continue;
      const pointer = `/spec/data/${i}/file`;
      const message = `no file "${data.file}" beside the test file; paths are relative to the test file's directory`;
      problems.push({ code: 'CONFIG_TEST', file: test.file, ...test.locate(pointer), pointer, message });
    }
  return problems;
}

async function runTests(
  tests: readonly AudienceTest[],
  checked: Awaited<ReturnType<typeof checkConfigDir>>,
  io: CliIo,
): Promise<AudienceTestResult[]> {
  const db = await openTestDatabase(io);
  try {
    const project = { pool: db.pool, graph: checked.validated.graph, configRoot: checked.root };
    const results: AudienceTestResult[] = [];
    for (const test of tests) results.push(await runAudienceTest(project, test));
    return results;
  } finally {
    await db.close();
  }
}

async function openTestDatabase(io: CliIo): Promise<Database> {
  try {
    return await openDatabase(io.env, (line) => io.stderr(`${line}\n`));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CommandError(
      'RUNTIME_DATABASE',
      `cannot open the database for the test sandboxes: ${reason}; set DATABASE_URL to use another server`,
      { cause: error },
    );
  }
}

async function writeReport(file: string, report: string): Promise<void> {
  try {
    await fs.writeFile(file, report);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CommandError('TEST_OUTPUT', `cannot write the report to ${file}: ${reason}; check the path`, {
      cause: error,
    });
  }
}
