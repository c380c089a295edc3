import { formatOption, sandboxOption } from './command-options';
import type { CommandRegistrar } from './command-registrar';
import { runProfileGet } from './lazy-commands';

/** `roster profile get`: one unified person and what it was stitched from. */
export const registerProfileCommands: CommandRegistrar = (program, { io, setExit }) => {
  program
    .command('profile')
    .description('Inspect unified profiles.')
    .command('get')
    .description(
      'Show a unified person: attributes, identities, account, opportunities and roles, recent events, and the source records it was stitched from.',
    )
    .addOption(sandboxOption())
    .option('--email <address>', 'find the person by email (case-insensitive)')
    .option('--id <id>', 'a person id, or an identity as namespace:value (e.g. crmContactId:003...)')
    .addOption(formatOption(['text', 'json']))
    .exitOverride()
    .action(async (options: { sandbox: string; email?: string; id?: string; format: 'text' | 'json' }) => {
      const { sandbox, format, email, id } = options;
      setExit(await runProfileGet({ sandbox, format, ...(email ? { email } : {}), ...(id ? { id } : {}) }, io));
    });
};
