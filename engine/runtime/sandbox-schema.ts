const SANDBOX_NAME = /^[a-z][a-z0-9_]{0,30}$/;

/**
 * The PostgreSQL schema of a sandbox, `roster_<sandbox>`, ready to splice into SQL. Sandbox names
 * are checked against a strict pattern first, so the identifier cannot carry anything else.
 */
export function sandboxSchema(sandbox: string): string {
  if (!SANDBOX_NAME.test(sandbox)) throw new Error(`invalid sandbox name ${JSON.stringify(sandbox)}`);
  return `"roster_${sandbox}"`;
}
