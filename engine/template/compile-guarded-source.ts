import { allNodes } from './all-nodes';
import { isForbiddenVariable } from './lookup-member';
import { type CompilerClass, internals, type TemplateNode, transformer } from './nunjucks-internals';
import { TemplateRefusal } from './template-refusal';

const TemplateData = internals.nodes.TemplateData as new (...args: unknown[]) => TemplateNode;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const IMPLICITLY_CALLED = /^(toString|valueOf|toJSON|toLocaleString)$/;
const NO_FILES = 'templates cannot read other files; put the text in this file';

/** A located compile-time refusal, reported like the runtime's `TemplateRefusal`s. */
function refuse(message: string, node: TemplateNode): never {
  throw new internals.lib.TemplateError(new TemplateRefusal(message), node.lineno + 1, node.colno + 1);
}

/** `(lineno = L, colno = C, ` : nunjucks reports runtime errors at the last position so recorded (1-based here). */
function position(node: TemplateNode): string {
  return `(lineno = ${node.lineno + 1}, colno = ${node.colno + 1}, `;
}

/**
 * nunjucks' code generator with the statements Roster does not offer refused at compile time, and
 * `+`, `~` and literal text routed through the guarded runtime (so they are size-checked). It also
 * closes nunjucks' own code-injection seams: names are pasted into the generated JavaScript between
 * quotes unescaped, so every variable, filter and test name must be a plain identifier, and a
 * call's display name is quoted with JSON.stringify.
 */
function guardedCompiler(Base: CompilerClass, tests: ReadonlySet<string>): CompilerClass {
  return class GuardedCompiler extends Base {
    compileInclude(node: TemplateNode): void {
      refuse(`{% include %} is not allowed: ${NO_FILES}`, node);
    }
    compileImport(node: TemplateNode): void {
      refuse(`{% import %} is not allowed: ${NO_FILES}`, node);
    }
    compileFromImport(node: TemplateNode): void {
      refuse(`{% from ... import %} is not allowed: ${NO_FILES}`, node);
    }
    compileExtends(node: TemplateNode): void {
      refuse(`{% extends %} is not allowed: ${NO_FILES}`, node);
    }
    compileAsyncEach(node: TemplateNode): void {
      refuse('{% asyncEach %} is not allowed; use {% for %}', node);
    }
    compileAsyncAll(node: TemplateNode): void {
      refuse('{% asyncAll %} is not allowed; use {% for %}', node);
    }
    compileCallExtension(node: TemplateNode): void {
      refuse('template extensions are not allowed', node);
    }
    override compileLiteral(node: TemplateNode, frame: unknown): void {
      if (node.value instanceof RegExp) {
        refuse('regular expressions (r/.../) are not allowed; use the replace filter with text', node);
      }
      super.compileLiteral(node, frame);
    }
    override compileIs(node: TemplateNode & { right: TemplateNode }, frame: unknown): void {
      const name = String(node.right.name ? node.right.name.value : node.right.value);
      if (!tests.has(name)) {
        refuse(`"${name}" is not a test templates can use; use one of ${[...tests].join(', ')}`, node);
      }
      super.compileIs(node, frame);
    }
    override compileLookupVal(node: TemplateNode, frame: unknown): void {
      this._emit(position(node));
      super.compileLookupVal(node, frame);
      this._emit(')');
    }
    override compileSymbol(node: TemplateNode, frame: unknown): void {
      this._emit(position(node));
      super.compileSymbol(node, frame);
      this._emit(')');
    }
    override compileFilter(node: TemplateNode, frame: unknown): void {
      this._emit(position(node));
      super.compileFilter(node, frame);
      this._emit(')');
    }
    compileAdd(node: TemplateNode, frame: unknown): void {
      this.emitRuntimeCall('add', node as BinaryNode, frame);
    }
    compileConcat(node: TemplateNode, frame: unknown): void {
      this.emitRuntimeCall('concat', node as BinaryNode, frame);
    }
    // nunjucks calls `value.toString()`, which throws a TypeError for `none()`.
    override _getNodeName(node: TemplateNode): string {
      return node.typename === 'Literal' ? String(node.value) : super._getNodeName(node);
    }
    compileFunCall(node: TemplateNode & { args: TemplateNode; name: TemplateNode }, frame: unknown): void {
      this._emit(`${position(node)}runtime.callWrap(`);
      this._compileExpression(node.name, frame);
      this._emit(`, ${JSON.stringify(this._getNodeName(node.name))}, context, `);
      this._compileAggregate(node.args, frame, '[', '])');
      this._emit(')');
    }
    compileOutput(node: TemplateNode, frame: unknown): void {
      // As nunjucks does, except that literal text goes through suppressValue too: a loop repeats
      // it as often as it iterates, so it must be charged to the output limit like expressions.
      for (const child of node.children ?? []) {
        if (child instanceof TemplateData && !child.value) continue;
        this._emit(`${this.buffer} += runtime.suppressValue(`);
        if (child instanceof TemplateData) {
          this.compileLiteral(child, frame);
          this._emitLine(', false);');
          continue;
        }
        if (this.throwOnUndefined) this._emit('runtime.ensureDefined(');
        this.compile(child, frame);
        if (this.throwOnUndefined) this._emit(`,${node.lineno},${node.colno})`);
        this._emit(', env.opts.autoescape);\n');
      }
    }
    private emitRuntimeCall(name: string, node: BinaryNode, frame: unknown): void {
      this._emit(`runtime.${name}(`);
      this.compile(node.left, frame);
      this._emit(', ');
      this.compile(node.right, frame);
      this._emit(')');
    }
  } as unknown as CompilerClass;
}

interface BinaryNode extends TemplateNode {
  left: TemplateNode;
  right: TemplateNode;
}

/**
 * The JavaScript source of `source` as a guarded template (what `nunjucks.compiler.compile` returns,
 * for the guarded runtime). Throws nunjucks' located TemplateError for what it refuses.
 */
export function compileGuardedSource(
  source: string,
  options: { tests: ReadonlySet<string>; throwOnUndefined: boolean },
): string {
  try {
    const ast = internals.parser.parse(source, [], {});
    const nodes = allNodes(ast);
    refuseUnsafeNames(nodes);
    refuseForbiddenDictKeys(nodes);
    const Compiler = guardedCompiler(internals.compiler.Compiler, options.tests);
    const compiler = new Compiler(undefined, options.throwOnUndefined);
    compiler.compile(transformer.transform(ast, [], undefined));
    return compiler.getCode();
  } catch (error) {
    // nunjucks' parser and compiler throw TypeErrors on some malformed input; the user still gets a template error.
    if (error instanceof internals.lib.TemplateError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new internals.lib.TemplateError(
      `the template cannot be parsed (${reason}); check its tags, names and quotes`,
      1,
      1,
    );
  }
}

/**
 * Names end up between quotes in the generated code; only identifiers are safe there. Prototype
 * plumbing is refused as a name too: `{% set __proto__ = x %}` would set the prototype of the
 * render context's variables.
 */
function refuseUnsafeNames(nodes: readonly TemplateNode[]): void {
  for (const symbol of nodes.filter((node) => node.typename === 'Symbol')) {
    const name = String(symbol.value);
    if (!IDENTIFIER.test(name)) refuse(`"${name}" is not a name; names are letters, digits and _`, symbol);
    if (isForbiddenVariable(name)) refuse(`"${name}" cannot be a variable; templates read the data in scope`, symbol);
  }
}

/**
 * `{"__proto__": {...}}` would give a dict literal a prototype of the template's choosing, and
 * `{"toString": m}` would have JavaScript call macro `m` behind the guarded `callWrap`.
 */
function refuseForbiddenDictKeys(nodes: readonly TemplateNode[]): void {
  // Keyword arguments are Dicts too (typename KeywordArgs): `caller=` is nunjucks' own.
  for (const dict of nodes.filter((node) => node.typename === 'Dict')) {
    for (const pair of dict.children ?? []) {
      const key = (pair as TemplateNode & { key: TemplateNode }).key;
      if (typeof key.value === 'string' && (isForbiddenVariable(key.value) || IMPLICITLY_CALLED.test(key.value))) {
        refuse(`"${key.value}" cannot be a key of a dict; use a plain name`, key);
      }
    }
  }
}
