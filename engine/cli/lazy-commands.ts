/**
 * The command functions of `main.ts`, each loaded on its first call. Loading every command up
 * front pulled in pg, pg-boss, ajv and the segment compiler before `roster --version` could answer
 * (about 0.5 s of a 2-core machine); now a command loads only what it uses (docs/decisions.md 49).
 */
type AnyFunction = (...args: never[]) => unknown;

/**
 * A function that loads its module when first called and forwards to the export `name`. Node's
 * `require` loads it where it can (the compiled JavaScript, or the sources under tsx's CommonJS
 * hook); vitest runs the sources as ES modules, where only `import()` can load TypeScript. The
 * compiled CommonJS keeps `import()` as it is, which is why it is not used everywhere.
 */
function lazy<M, K extends keyof M>(file: string, load: () => Promise<M>, name: K): M[K] {
  const call = async (...args: unknown[]) => {
    const loaded = (canRequire() ? require(file) : await load()) as Record<K, (...a: unknown[]) => unknown>;
    return loaded[name](...args);
  };
  return call as unknown as M[K] & AnyFunction;
}

function canRequire(): boolean {
  return __filename.endsWith('.js') || '.ts' in require.extensions;
}

const apply = ['./commands/apply-command', () => import('./commands/apply-command.js')] as const;
const catalog = ['./commands/catalog-command', () => import('./commands/catalog-command.js')] as const;
const demo = ['./commands/demo-command', () => import('./commands/demo-command.js')] as const;
const destination = ['./commands/destination-commands', () => import('./commands/destination-commands.js')] as const;
const init = ['./commands/init-command', () => import('./commands/init-command.js')] as const;
const plan = ['./commands/plan-command', () => import('./commands/plan-command.js')] as const;
const promote = ['./commands/promote-command', () => import('./commands/promote-command.js')] as const;
const profileGet = ['./commands/profile-get-command', () => import('./commands/profile-get-command.js')] as const;
const run = ['./commands/run-command', () => import('./commands/run-command.js')] as const;
const segment = ['./commands/segment-commands', () => import('./commands/segment-commands.js')] as const;
const segmentPreview = [
  './commands/segment-preview-command',
  () => import('./commands/segment-preview-command.js'),
] as const;
const show = ['./commands/show-command', () => import('./commands/show-command.js')] as const;
const sourceErrors = ['./commands/source-errors-command', () => import('./commands/source-errors-command.js')] as const;
const sourceRun = ['./commands/source-run-command', () => import('./commands/source-run-command.js')] as const;
const status = ['./commands/status-command', () => import('./commands/status-command.js')] as const;
const test = ['./commands/test-command', () => import('./commands/test-command.js')] as const;
const validate = ['./commands/validate-command', () => import('./commands/validate-command.js')] as const;

export const runApply = lazy(...apply, 'runApply');
export const runCatalog = lazy(...catalog, 'runCatalog');
export const runDemo = lazy(...demo, 'runDemo');
export const runDestinationActivate = lazy(...destination, 'runDestinationActivate');
export const runDestinationPause = lazy(...destination, 'runDestinationPause');
export const runDestinationReconcile = lazy(...destination, 'runDestinationReconcile');
export const runDestinationRetry = lazy(...destination, 'runDestinationRetry');
export const runDestinationStatus = lazy(...destination, 'runDestinationStatus');
export const runInit = lazy(...init, 'runInit');
export const runPlan = lazy(...plan, 'runPlan');
export const runPromote = lazy(...promote, 'runPromote');
export const runProfileGet = lazy(...profileGet, 'runProfileGet');
export const runRun = lazy(...run, 'runRun');
export const runSegmentExplain = lazy(...segment, 'runSegmentExplain');
export const runSegmentMembers = lazy(...segment, 'runSegmentMembers');
export const runSegmentPreview = lazy(...segmentPreview, 'runSegmentPreview');
export const runSegmentRun = lazy(...segment, 'runSegmentRun');
export const runSegmentSizes = lazy(...segment, 'runSegmentSizes');
export const runSegmentSql = lazy(...segment, 'runSegmentSql');
export const runShow = lazy(...show, 'runShow');
export const runSourceErrors = lazy(...sourceErrors, 'runSourceErrors');
export const runSourceRun = lazy(...sourceRun, 'runSourceRun');
export const runStatus = lazy(...status, 'runStatus');
export const runTest = lazy(...test, 'runTest');
export const runValidate = lazy(...validate, 'runValidate');
