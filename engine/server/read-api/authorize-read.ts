import { bearerMatches } from '../bearer-token';
import { type ReadAnswer, refuse } from './read-route';

/** The environment variable of `roster run` holding the read API's bearer token. */
export const READ_TOKEN_VARIABLE = 'ROSTER_API_TOKEN';

/**
 * Undefined when the request may read; otherwise the refusal. Profiles and members are personal
 * data, so without a configured token the read API is off (503) rather than open.
 */
export function authorizeRead(authorization: string | undefined, env: NodeJS.ProcessEnv): ReadAnswer | undefined {
  const token = env[READ_TOKEN_VARIABLE];
  if (!token)
    return refuse(503, 'not_configured', `set ${READ_TOKEN_VARIABLE} where roster run runs to enable the read API`);
  if (bearerMatches(authorization, token)) return undefined;
  return {
    ...refuse(
      401,
      'unauthorized',
      `send the read API token (${READ_TOKEN_VARIABLE}) as "Authorization: Bearer <token>"`,
    ),
    headers: { 'www-authenticate': 'Bearer' },
  };
}
