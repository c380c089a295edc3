import { isSecretRef } from './schema-validator';

/** Raised when a secret reference names a variable that is not set; says which and how to set it. */
export class MissingSecretError extends Error {
  override readonly name = 'MissingSecretError';
}

/**
 * The value of a secret reference (`secret://NAME` -> the environment variable NAME), read only at
 * the moment a job needs it. A value that is not a reference is returned as it is.
 */
export function resolveSecret(value: string, env: NodeJS.ProcessEnv, where: string): string {
  if (!isSecretRef(value)) return value;
  const name = value.slice('secret://'.length);
  const secret = env[name];
  if (secret === undefined || secret === '')
    throw new MissingSecretError(
      `${where} needs the secret ${name}: set the environment variable ${name} where Roster runs`,
    );
  return secret;
}

/**
 * Resolves every secret reference in `block` (a source's connection) once, so a missing variable is
 * reported before a run starts (a configuration mistake, not a failed run to retry).
 */
export function assertSecretsSet(block: object | undefined, env: NodeJS.ProcessEnv, where: string): void {
  for (const [field, value] of Object.entries(block ?? {})) {
    if (typeof value === 'string') resolveSecret(value, env, `${where} (${field})`);
  }
}
