import { isForbiddenVariable, lookupMember } from './lookup-member';
import { type FrameClass, internals, type NunjucksFrame, type NunjucksRuntime } from './nunjucks-internals';
import { RenderBudget } from './render-budget';
import { sizeOf } from './size-of';
import type { TemplateLimits } from './template-limits';
import { TemplateRefusal } from './template-refusal';

/** What compiled templates pass as `context` (`nunjucks/src/environment.js` Context). */
interface RenderContext {
  ctx: object;
  env: { globals: object };
}

/**
 * The `runtime` a guarded template runs against, made for one render: nunjucks' own functions,
 * with every seam through which a template reaches a value replaced (variable and member lookup,
 * calls, output, `+`/`~`, loop frames), each charging the render's budget.
 */
export function createGuardedRuntime(limits: TemplateLimits): NunjucksRuntime {
  const base = internals.runtime;
  const budget = new RenderBudget(limits);
  const Frame = guardedFrame(base.Frame, budget);
  return {
    ...base,
    Frame,
    memberLookup: (object: unknown, key: unknown) => {
      budget.tick();
      return lookupMember(object, key, base.SafeString);
    },
    contextOrFrameLookup: (context: RenderContext, frame: NunjucksFrame, name: string) => {
      budget.tick();
      return lookupVariable(context, frame, name);
    },
    callWrap: (callee: unknown, name: string, _context: unknown, args: unknown[]) => {
      if (typeof callee !== 'function' || isCodeConstructor(callee)) {
        throw new TemplateRefusal(
          `${name} cannot be called; a template calls only the functions documented for it and macros it defines`,
        );
      }
      // No `this`: nunjucks would pass its render context, which holds the environment.
      return budget.nested(() => callee.apply(undefined, args));
    },
    suppressValue: (value: unknown, autoescape: boolean) => {
      refuseFunction(value, 'written to the output');
      budget.checkSize(sizeOf(value, limits.outputCharacters), 'output');
      const text = String(base.suppressValue(value, autoescape));
      budget.write(text.length);
      return text;
    },
    ...guardedOperators(budget),
  };
}

/**
 * A template variable: the frame's (null-prototype) variables, then the scope's and the globals'
 * *own* properties. `{{ valueOf }}` must not find Object.prototype.valueOf on the scope object.
 */
function lookupVariable(context: RenderContext, frame: NunjucksFrame, name: string): unknown {
  if (isForbiddenVariable(name)) throw new TemplateRefusal(`"${name}" is not a variable templates can read`);
  const value = frame.lookup(name);
  if (value !== undefined) return value;
  if (Object.hasOwn(context.ctx, name)) return (context.ctx as Record<string, unknown>)[name];
  const globals = context.env.globals as Record<string, unknown>;
  return Object.hasOwn(globals, name) ? globals[name] : undefined;
}

/** `+` and `~` (compiled to runtime calls by the guarded compiler): no functions, no oversized strings. */
function guardedOperators(budget: RenderBudget) {
  const max = budget.limits.outputCharacters;
  const checkOperands = (left: unknown, right: unknown, operator: string) => {
    refuseFunction(left, `an operand of ${operator}`);
    refuseFunction(right, `an operand of ${operator}`);
    budget.checkSize(sizeOf(left, max) + sizeOf(right, max), `a ${operator} operand`);
  };
  return {
    add: (left: unknown, right: unknown) => {
      if (typeof left === 'number' && typeof right === 'number') return left + right;
      checkOperands(left, right, '+');
      return (left as string) + (right as string);
    },
    concat: (left: unknown, right: unknown) => {
      checkOperands(left, right, '~');
      return String(left) + String(right);
    },
  };
}

/** Templates output data: a function turned into text would be its source code, not a value. */
function refuseFunction(value: unknown, what: string): void {
  if (typeof value === 'function') throw new TemplateRefusal(`a function cannot be ${what}; call it instead`);
}

/** Frames that count loop iterations: every iteration of every loop sets `loop.index`. */
function guardedFrame(Base: FrameClass, budget: RenderBudget): FrameClass {
  class GuardedFrame extends Base {
    override set(name: string, value: unknown, resolveUp?: boolean): void {
      if (name === 'loop.index') budget.iterate();
      super.set(name, value, resolveUp);
    }
    override push(isolateWrites?: boolean): NunjucksFrame {
      return new GuardedFrame(this, isolateWrites);
    }
  }
  return GuardedFrame;
}

const CODE_CONSTRUCTORS: readonly unknown[] = [
  Function,
  Object.getPrototypeOf(async () => {}).constructor,
  Object.getPrototypeOf(function* () {}).constructor,
  Object.getPrototypeOf(async function* () {}).constructor,
  // biome-ignore lint/security/noGlobalEval: listed so that it is refused, never called.
  globalThis.eval,
];

/** Defence in depth: were `Function` ever reached, calling it is still refused. */
function isCodeConstructor(callee: unknown): boolean {
  return CODE_CONSTRUCTORS.includes(callee);
}
