import { didYouMeanSuffix } from '../util/did-you-mean';
import { escapePointerSegment, parsePointer } from '../util/json-pointer';
import type { LocatedDocument } from './parse-documents';
import type { Problem, ProblemCode } from './problem';
import type { ErrorObject } from './schema-validator';

/** One schema violation in user terms, before it is located in a file. */
interface SchemaFinding {
  code: ProblemCode;
  pointer: string;
  message: string;
}

/**
 * Turns ajv's errors into one problem per real mistake, each pointing at the offending key:
 * `if` bookkeeping is dropped, `oneOf` keeps only the branch the value was evidently meant for,
 * and the remaining errors are worded as "what is wrong; what is allowed".
 */
export function mapSchemaErrors(errors: readonly ErrorObject[], document: LocatedDocument, prefix = ''): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const error of collapseBlockMismatch(collapseOneOf(errors.filter((e) => e.keyword !== 'if')))) {
    const finding = describe(error, document.value, prefix);
    const id = `${finding.code} ${finding.pointer} ${finding.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const at = document.locate(finding.pointer);
    problems.push({ ...finding, file: document.file, line: at.line, column: at.column });
  }
  return problems;
}

/**
 * `type: file` with an `http:` block fails twice (the `file` block is missing, the `http` one is
 * not allowed): one mistake, so keep one error, the misplaced block, naming the block expected.
 */
function collapseBlockMismatch(errors: readonly ErrorObject[]): ErrorObject[] {
  const misplaced = errors.filter((e) => e.keyword === 'false schema');
  const expectedBlock = (e: ErrorObject) =>
    e.keyword === 'required' &&
    e.schemaPath.includes('/then/') &&
    misplaced.some((m) => m.instancePath.startsWith(`${e.instancePath}/`));
  const missing = errors.filter(expectedBlock);
  return errors
    .filter((e) => !expectedBlock(e))
    .map((e) => {
      if (e.keyword !== 'false schema') return e;
      const block = missing.find((m) => e.instancePath.startsWith(`${m.instancePath}/`))?.params.missingProperty;
      return block === undefined ? e : { ...e, params: { ...e.params, expectedBlock: block } };
    });
}

/** For each failed `oneOf`, keep the errors of the one branch whose type fits the value, if exactly one does. */
function collapseOneOf(errors: readonly ErrorObject[]): ErrorObject[] {
  let remaining = [...errors];
  for (const oneOf of errors.filter((e) => e.keyword === 'oneOf')) {
    const inside = (e: ErrorObject) => e !== oneOf && e.schemaPath.startsWith(`${oneOf.schemaPath}/`);
    const branches = new Map<string, ErrorObject[]>();
    for (const e of remaining.filter(inside)) {
      const branch = e.schemaPath.slice(oneOf.schemaPath.length + 1).split('/')[0]!;
      branches.set(branch, [...(branches.get(branch) ?? []), e]);
    }
    const fitting = [...branches.values()].filter(
      (list) => !list.some((e) => e.keyword === 'type' && e.instancePath === oneOf.instancePath),
    );
    const keep = fitting.length === 1 ? fitting[0]! : [];
    remaining = remaining.filter((e) => !inside(e) && (keep.length === 0 || e !== oneOf)).concat(keep);
  }
  return remaining;
}

function describe(error: ErrorObject, root: unknown, prefix: string): SchemaFinding {
  const pointer = prefix + error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return schemaFinding(pointer, `missing required property "${params.missingProperty}"; add it`);
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const allowed = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      const hint = didYouMeanSuffix(name, allowed) || `; allowed: ${allowed.join(', ')}`;
      return schemaFinding(`${pointer}/${escapePointerSegment(name)}`, `unknown property "${name}"${hint}`);
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const custom = customMessage(error);
      if (custom) return schemaFinding(pointer, `${gotText(error.data)} ${custom}`);
      const got = typeof error.data === 'string' ? didYouMeanSuffix(error.data, allowed) : '';
      return schemaFinding(
        pointer,
        `${gotText(error.data)} is not allowed; must be one of ${allowed.join(', ')}${got}`,
      );
    }
    case 'const':
      return schemaFinding(pointer, `must be ${JSON.stringify(params.allowedValue)}, not ${gotText(error.data)}`);
    case 'type':
      if (typeof error.data === 'number' && !Number.isFinite(error.data))
        return schemaFinding(
          pointer,
          `${gotText(error.data)} is not a finite number; must be ${typeText(String(params.type))}`,
        );
      return schemaFinding(pointer, `must be ${typeText(String(params.type))}, not ${typeOfValue(error.data)}`);
    case 'pattern': {
      const reason = customMessage(error) ?? `must match the pattern ${params.pattern}`;
      return schemaFinding(pointer, `${gotText(error.data)} ${reason}`);
    }
    case 'false schema': {
      const expected = params.expectedBlock === undefined ? '' : `, which takes a "${params.expectedBlock}" block`;
      return schemaFinding(
        pointer,
        `"${lastSegment(pointer)}" does not belong with ${typeFieldText(root, pointer)}${expected}; rename the block or change the type`,
      );
    }
    case 'minimum':
    case 'maximum': {
      const range = rangeText(error.parentSchema);
      if (range) return schemaFinding(pointer, `${gotText(error.data)} is out of range; give ${range}`);
      return schemaFinding(
        pointer,
        `${gotText(error.data)} is out of range: ${error.message ?? error.keyword}; change the value`,
      );
    }
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
      return schemaFinding(
        pointer,
        `${gotText(error.data)} is out of range: ${error.message ?? error.keyword}; change the value`,
      );
    case 'uniqueItems':
      return schemaFinding(pointer, `items ${params.j} and ${params.i} are the same; list each value once`);
    case 'format':
      return schemaFinding(
        pointer,
        `${gotText(error.data)} is not a valid ${params.format}; write a full ${params.format === 'uri' ? 'URL such as "https://host/path"' : params.format}`,
      );
    case 'x-roster-secret':
      return {
        code: 'CONFIG_SECRET_PLAINTEXT',
        pointer,
        message:
          'a secret is written in plain text; write {{ secret("NAME") }} instead and set NAME in the environment where Roster runs',
      };
    case 'oneOf':
      return schemaFinding(pointer, `${typeOfValue(error.data)} does not fit; ${oneOfText(error)}`);
    case 'propertyNames':
      return schemaFinding(
        `${pointer}/${escapePointerSegment(String(params.propertyName))}`,
        'is not a valid name here',
      );
    default:
      return schemaFinding(pointer, error.message ?? `fails the "${error.keyword}" rule`);
  }
}

/** The schema's own wording for a failed `pattern` or `enum` (the `x-message` annotation beside it). */
function customMessage(error: ErrorObject): string | undefined {
  const message = (error.parentSchema as Record<string, unknown> | undefined)?.['x-message'];
  return typeof message === 'string' ? message : undefined;
}

function schemaFinding(pointer: string, message: string): SchemaFinding {
  return { code: 'CONFIG_SCHEMA', pointer, message };
}

function oneOfText(error: ErrorObject): string {
  const branches = (error.schema as { type?: string; $ref?: string }[]).map((b) =>
    b.type ? typeText(b.type) : 'an object',
  );
  return `must be ${branches.join(' or ')}`;
}

function typeFieldText(root: unknown, pointer: string): string {
  const segments = parsePointer(pointer);
  let parent: unknown = root;
  for (const s of segments.slice(0, -1)) parent = (parent as Record<string, unknown> | undefined)?.[s];
  const type = (parent as { type?: unknown } | undefined)?.type;
  return typeof type === 'string' ? `type "${type}"` : 'this type';
}

function lastSegment(pointer: string): string {
  return parsePointer(pointer).pop() ?? '';
}

function typeText(type: string): string {
  const names: Record<string, string> = {
    string: 'a string',
    number: 'a number',
    integer: 'an integer',
    boolean: 'true or false',
    array: 'a list',
    object: 'a mapping (key: value)',
    null: 'null',
  };
  return type
    .split(',')
    .map((t) => names[t] ?? t)
    .join(' or ');
}

function typeOfValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${gotText(value)}`;
  return `${typeof value} ${gotText(value)}`;
}

/** "an integer from 0 to 1,000,000,000" when the schema bounds a number at both ends. */
function rangeText(schema: unknown): string | undefined {
  const { type, minimum, maximum } = (schema ?? {}) as { type?: unknown; minimum?: unknown; maximum?: unknown };
  if (typeof minimum !== 'number' || typeof maximum !== 'number') return undefined;
  const what = type === 'integer' ? 'an integer' : 'a number';
  return `${what} from ${minimum.toLocaleString('en-US')} to ${maximum.toLocaleString('en-US')}`;
}

/** A short, quoted rendering of a value for a message. */
function gotText(value: unknown): string {
  // YAML's .inf and .nan are numbers JSON cannot write (JSON.stringify would say null).
  if (typeof value === 'number' && !Number.isFinite(value))
    return Number.isNaN(value) ? '.nan' : `${value < 0 ? '-' : ''}.inf`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
