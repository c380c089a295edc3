import { Option } from 'commander';
import { parseDuration } from './parse-duration';
import { parseFormat, parseSandbox } from './usage-error';

// Each builder returns a new Option: commander keeps per-command state on them, so none is shared.

/** `--sandbox <name>` (default dev), for commands that only work in the sandbox. */
export function sandboxOption(description = 'sandbox to work in (its PostgreSQL schema is roster_<name>)'): Option {
  return new Option('--sandbox <name>', description).default('dev').argParser(parseSandbox);
}

/** `--sandbox <name>` for commands that read resource files: they render them for the sandbox. */
export function filesSandboxOption(): Option {
  return sandboxOption('sandbox to work in; the resource files are rendered for it (the `sandbox` template variable)');
}

/** `--format <format>` restricted to `allowed`, default text. */
export function formatOption(allowed: readonly string[]): Option {
  return new Option('--format <format>', `output format: ${allowed.join(', ')}`)
    .default('text')
    .argParser((v) => parseFormat(v, allowed));
}

/** `--lock-timeout <duration>` of the commands that take the sandbox's apply lock. */
export function lockTimeoutOption(): Option {
  return new Option(
    '--lock-timeout <duration>',
    'wait this long for another apply to release the sandbox (e.g. 30s, 5m)',
  )
    .default(0, '0: fail at once')
    .argParser(parseDuration);
}
