import type { Problem, ProblemCode } from './problem';
import type { Resource } from './resource';

/** A problem located at `pointer` (relative to the resource) in the file that declared `resource`. */
export function problemAt(resource: Resource, pointer: string, code: ProblemCode, message: string): Problem {
  const { line, column } = resource.origin.locate(pointer);
  return { code, file: resource.origin.file, line, column, pointer: resource.origin.pointerPrefix + pointer, message };
}
