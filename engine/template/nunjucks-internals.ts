import * as nunjucks from 'nunjucks';

/** A node of nunjucks' template syntax tree (`nunjucks/src/nodes.js`). */
export interface TemplateNode {
  typename: string;
  lineno: number;
  colno: number;
  value?: unknown;
  name?: TemplateNode;
  children?: TemplateNode[];
  findAll(type: unknown, results?: TemplateNode[]): TemplateNode[];
}

/** nunjucks' variable scope (`runtime.Frame`); the guarded runtime subclasses it. */
export interface NunjucksFrame {
  topLevel: boolean;
  set(name: string, value: unknown, resolveUp?: boolean): void;
  lookup(name: string): unknown;
  push(isolateWrites?: boolean): NunjucksFrame;
}
export type FrameClass = new (parent?: NunjucksFrame, isolateWrites?: boolean) => NunjucksFrame;

/** The functions compiled templates call as `runtime.*` (`nunjucks/src/runtime.js`). */
export interface NunjucksRuntime {
  Frame: FrameClass;
  SafeString: new (value: string) => { val: string; toString(): string };
  suppressValue(value: unknown, autoescape: boolean): string;
  [name: string]: unknown;
}

/** nunjucks' code generator (`nunjucks/src/compiler.js`), which the guarded compiler extends. */
export interface NunjucksCompiler {
  buffer: string;
  throwOnUndefined: boolean;
  compile(node: TemplateNode, frame?: unknown): void;
  getCode(): string;
  fail(message: string, lineno?: number, colno?: number): never;
  _emit(code: string): void;
  _emitLine(code: string): void;
  _compileExpression(node: TemplateNode, frame: unknown): void;
  _compileAggregate(node: TemplateNode, frame: unknown, start?: string, end?: string): void;
  _getNodeName(node: TemplateNode): string;
  compileLiteral(node: TemplateNode, frame: unknown): void;
  compileIs(node: TemplateNode, frame: unknown): void;
  compileLookupVal(node: TemplateNode, frame: unknown): void;
  compileSymbol(node: TemplateNode, frame: unknown): void;
  compileFilter(node: TemplateNode, frame: unknown): void;
}
export type CompilerClass = new (templateName: string | undefined, throwOnUndefined: boolean) => NunjucksCompiler;

interface Internals {
  compiler: { Compiler: CompilerClass };
  parser: { parse(src: string, extensions?: unknown[], opts?: object): TemplateNode };
  nodes: Record<string, unknown>;
  runtime: NunjucksRuntime;
  lib: { TemplateError: new (message: string | Error, lineno?: number, colno?: number) => Error };
}

/** The parts of nunjucks 3.2.4 that its public typings leave out (pinned: these are internals). */
export const internals = nunjucks as unknown as Internals;

/** Lifts `super()` and async filters before compilation, as `nunjucks.compiler.compile` does. */
// The transformer is not re-exported by nunjucks' index; its path is stable in the pinned version.
export const transformer = require('nunjucks/src/transformer') as {
  transform(ast: TemplateNode, asyncFilters: string[], name?: string): TemplateNode;
};
