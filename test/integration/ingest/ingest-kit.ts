/**
 * What the ingestion tests share: a temp workspace (resource files in `config/`, generated inputs in
 * `data/`, so the config loader never mistakes a data file for a resource), and the real `roster`
 * executable driven as a user would, its JSON output parsed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { QuarantinedRecord } from '../../../engine/ingest/read-quarantine';
import { ROOT, type RosterResult, roster } from '../../support/run-roster';

/** `test/fixtures`, where the real data files live with their licences. */
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');

export interface Workspace {
  root: string;
  /** Resource files (Sources, IdentityMappings): what `roster apply` reads. */
  config: string;
  /** Inputs a test generates or edits. */
  data: string;
  remove(): void;
}

export function makeWorkspace(prefix: string): Workspace {
  const root = mkdtempSync(path.join(tmpdir(), `roster-${prefix}-`));
  const config = path.join(root, 'config');
  const data = path.join(root, 'data');
  mkdirSync(config);
  mkdirSync(data);
  return { root, config, data, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** Writes `files` (name -> content) into `dir`. */
export function writeFiles(dir: string, files: Record<string, string | Buffer>): void {
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
}

/** A run's result as `roster source run --format json` prints it. */
export interface RunOutput {
  source: string;
  sandbox: string;
  runId: number;
  status: 'succeeded' | 'failed';
  read: number;
  written: number;
  unchanged: number;
  deleted: number;
  quarantined: number;
  error?: string;
  stitched: { entity: 'person' | 'account'; records: number; profiles: number; conflicts: number }[];
}

/** `roster` against the test database, failing with its output when it exits with another code. */
export class RosterCli {
  constructor(private readonly databaseUrl: string) {}

  run(args: string[], expectedCode = 0): RosterResult {
    const result = roster(args, { DATABASE_URL: this.databaseUrl });
    if (result.code !== expectedCode) {
      throw new Error(
        `roster ${args.join(' ')} exited ${result.code}, expected ${expectedCode}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
      );
    }
    return result;
  }

  apply(configDir: string, sandbox: string): void {
    this.run(['apply', configDir, '--sandbox', sandbox, '--yes']);
  }

  /** `roster source run NAME --format json`; exit 1 is expected when the run fails. */
  sourceRun(name: string, sandbox: string, options: { extra?: string[]; expectedCode?: number } = {}): RunOutput {
    const args = ['source', 'run', name, '--sandbox', sandbox, '--format', 'json', ...(options.extra ?? [])];
    return JSON.parse(this.run(args, options.expectedCode ?? 0).stdout) as RunOutput;
  }

  sourceErrors(name: string, sandbox: string): { runId: number | null; total: number; records: QuarantinedRecord[] } {
    const args = ['source', 'errors', name, '--sandbox', sandbox, '--format', 'json', '--limit', '1000'];
    return JSON.parse(this.run(args).stdout);
  }
}

/** The counts of a run, without the stitching summary. */
export function countsOf(
  run: RunOutput,
): Pick<RunOutput, 'status' | 'read' | 'written' | 'unchanged' | 'deleted' | 'quarantined'> {
  return {
    status: run.status,
    read: run.read,
    written: run.written,
    unchanged: run.unchanged,
    deleted: run.deleted,
    quarantined: run.quarantined,
  };
}
