import * as path from 'node:path';
import type { Argument, Command, Option } from 'commander';
import { describe, it } from 'vitest';
import { buildProgram } from '../../../engine/cli/main';
import { captureIo } from '../../support/capture-io';
import { expectGolden } from '../../support/golden';

const GOLDEN = path.join(__dirname, '..', '..', 'golden', 'cli-help');

/** Every command, depth first in the order registered, with its full name (`roster segment members`). */
function walk(command: Command, prefix = ''): { path: string; command: Command }[] {
  const name = prefix ? `${prefix} ${command.name()}` : command.name();
  return [{ path: name, command }, ...command.commands.flatMap((child) => walk(child, name))];
}

function describeOption(option: Option) {
  return {
    flags: option.flags,
    description: option.description,
    default: option.defaultValue,
    defaultDescription: option.defaultValueDescription,
    mandatory: option.mandatory,
    negate: option.negate,
    hidden: option.hidden,
    parsed: option.parseArg !== undefined,
  };
}

function describeArgument(argument: Argument) {
  return {
    name: argument.name(),
    description: argument.description,
    required: argument.required,
    variadic: argument.variadic,
    default: argument.defaultValue,
  };
}

function describeCommand(command: Command): unknown {
  return {
    name: command.name(),
    aliases: command.aliases(),
    description: command.description(),
    arguments: command.registeredArguments.map(describeArgument),
    options: command.options.map(describeOption),
    commands: command.commands.map(describeCommand),
  };
}

describe('the roster command tree', () => {
  const program = buildProgram(captureIo(process.cwd()), () => {});

  it('registers the same commands, arguments, options and defaults, in the same order', async () => {
    await expectGolden(
      `${JSON.stringify(describeCommand(program), null, 2)}\n`,
      path.join(GOLDEN, 'command-tree.json'),
    );
  });

  it('prints the same --help for every command and group, at 80 columns', async () => {
    const pages = walk(program).map(({ path: name, command }) => {
      command.configureHelp({ helpWidth: 80 });
      return `## ${name}\n\n${command.helpInformation()}`;
    });
    await expectGolden(pages.join('\n'), path.join(GOLDEN, 'command-tree.txt'));
  });
});
