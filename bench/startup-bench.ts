import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type BenchResult, medianWallSeconds } from './measure';

const ROOT = path.join(__dirname, '..');
const RUNS = 5;

/**
 * Start-up of `roster`: the package as a user installs it (`npm pack`, installed into an empty
 * directory; compiled JavaScript, commands loaded lazily) against the sources run through tsx as
 * bin/roster.js did before the package existed (the baseline). Median wall time of 5 runs, after
 * one warm-up run each (tsx's transpile cache, the OS file cache).
 */
export async function benchStartup(): Promise<BenchResult[]> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-bench-startup-'));
  try {
    const installed = installPackage(work);
    const tsxEntry = path.join(work, 'roster-through-tsx.js');
    await fs.writeFile(tsxEntry, tsxEntryText());
    const example = path.join(ROOT, 'examples', 'acme');
    const cases: [string, string[], number][] = [
      ['roster --version', ['--version'], 0.3],
      ['roster --help', ['--help'], 0.3],
      ['roster validate examples/acme', ['validate', example], 0.8],
    ];
    return cases.map(([work, args, target]) => {
      const time = (bin: string) => {
        medianWallSeconds(process.execPath, [bin, ...args], 1, { cwd: ROOT });
        return medianWallSeconds(process.execPath, [bin, ...args], RUNS, { cwd: ROOT });
      };
      const roster = time(installed);
      return {
        work: `${work}, installed package (baseline: sources through tsx)`,
        roster,
        baseline: time(tsxEntry),
        unit: 's',
        target: `< ${target} s`,
        pass: roster < target,
      };
    });
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

/** Packs this repository and installs the tarball into `work`; returns the installed `roster`. */
function installPackage(work: string): string {
  const run = (command: string, args: string[], cwd: string) => {
    const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
    return result.stdout;
  };
  const tarball = run('npm', ['pack', '--pack-destination', work, '--silent'], ROOT).trim().split('\n').pop()!;
  const project = path.join(work, 'project');
  run('mkdir', ['-p', project], work);
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', path.join(work, tarball)], project);
  return path.join(project, 'node_modules', '.bin', 'roster');
}

/** What bin/roster.js was before the package: every start compiles the sources through tsx. */
function tsxEntryText(): string {
  return `require(${JSON.stringify(require.resolve('tsx/cjs/api', { paths: [ROOT] }))}).register();
require(${JSON.stringify(path.join(ROOT, 'engine', 'cli', 'main.ts'))})
  .main(process.argv.slice(2))
  .then((code) => { process.exitCode = code; });
`;
}
