/** Where the demo's webhook receiver listens; fixed so a second `npm start` renders the same config. */
export const DEMO_WEBHOOK_PORT = 47817;
export const DEMO_WEBHOOK_URL = `http://127.0.0.1:${DEMO_WEBHOOK_PORT}/roster/sales-alerts`;

/**
 * The environment the demo runs the example with: the user's, plus what the example needs to run
 * on this machine alone. The sales-alerts webhook points at a receiver the demo starts on loopback
 * (allowed by `ROSTER_ALLOW_PRIVATE_HOSTS` for this process only), and the webhook and event tokens
 * get demo values unless the user set their own. Marketo credentials are never invented: without
 * them that destination is reported as skipped, with the variables to set.
 */
export function demoEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const allowed = (env.ROSTER_ALLOW_PRIVATE_HOSTS ?? '').split(',').filter((h) => h.trim() !== '');
  return {
    ...env,
    ROSTER_VAR_SALES_WEBHOOK_URL: env.ROSTER_VAR_SALES_WEBHOOK_URL ?? DEMO_WEBHOOK_URL,
    ROSTER_ALLOW_PRIVATE_HOSTS: [...new Set([...allowed, '127.0.0.1'])].join(','),
    SALES_WEBHOOK_SECRET: env.SALES_WEBHOOK_SECRET ?? 'roster-demo-webhook-secret',
    ACME_EVENTS_TOKEN: env.ACME_EVENTS_TOKEN ?? 'roster-demo-events-token',
  };
}

/** The variables the example's Marketo destination needs (the demo names them when it skips it). */
export const MARKETO_VARIABLES = [
  'ROSTER_VAR_MARKETO_ENDPOINT',
  'ROSTER_VAR_MARKETO_CLIENT_ID',
  'MARKETO_CLIENT_SECRET',
];
