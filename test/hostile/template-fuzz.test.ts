import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTemplate } from '../../engine/config/render-template';
import { compileTemplate } from '../../engine/template/compile-template';
import { recordHostile } from '../support/hostile-tally';
import { markerExists, SECRET_NAME, SECRET_VALUE } from '../support/template-payloads';

const marker = path.join(os.tmpdir(), `roster-fuzz-pwned-${process.pid}`);
const ESCAPED = '__rosterFuzzEscaped';
/** What a chain passes when it calls something: code that leaves traces if it ever runs. */
const CODE = `globalThis.${ESCAPED} = 1; process.mainModule.require('child_process').execSync('touch ${marker}'); return process.env.${SECRET_NAME}`;

const roots = fc.constantFrom(
  'range',
  'cycler',
  'joiner',
  'lipsum',
  'self',
  'loop',
  'caller',
  'constructor',
  'valueOf',
  'toString',
  'env',
  'sandbox',
  'secret',
  'x',
  '""',
  '"abc"',
  '[]',
  '[1, "a"]',
  '{}',
  '{ a: 1 }',
  '1',
  '(1)',
  'true',
  'none',
);
const names = fc.constantFrom(
  'constructor',
  'prototype',
  '__proto__',
  '__defineGetter__',
  '__lookupGetter__',
  'call',
  'apply',
  'bind',
  'toString',
  'valueOf',
  'length',
  'caller',
  'callee',
  'arguments',
  'name',
  'mainModule',
  'process',
  'env',
  'require',
  'concat',
  'map',
  'join',
  '0',
  'ROSTER_VAR_X',
  'fields',
  'email',
  'hasOwnProperty',
  'next',
  'lookup',
);
const steps = fc.oneof(
  names.map((name) => (/^[A-Za-z_]\w*$/.test(name) ? `.${name}` : `["${name}"]`)),
  names.map((name) => `["${name}"]`),
  names.map((name) => `["${name.slice(0, 2)}" ~ "${name.slice(2)}"]`),
  names.map((name) => `["${name.slice(0, 3)}" + "${name.slice(3)}"]`),
  fc.constant('()'),
  fc.constant(`("${CODE.replaceAll('"', '\\"')}")`),
  fc.constantFrom('| first', '| string', '| dump', '| join("", "constructor")', '| length', '| default(range)'),
);
const chains = fc.tuple(roots, fc.array(steps, { minLength: 1, maxLength: 6 })).map(([root, rest]) => {
  const chain = rest.reduce((text, step) => (step.startsWith('|') ? `(${text} ${step})` : `${text}${step}`), root);
  return chain;
});
const templates = fc.oneof(
  chains.map((chain) => `{{ ${chain} }}`),
  chains.map((chain) => `{% set v = ${chain} %}{{ v }}`),
  fc.tuple(chains, chains).map(([a, b]) => `{{ ${a}[${b}] }}`),
  chains.map((chain) => `{% for i in [1] %}{{ ${chain} }}{% endfor %}`),
  chains.map((chain) => `{% macro m(a) %}{{ a }}{% endmacro %}{{ m(${chain}) }}`),
  chains.map((chain) => `{% macro m() %}x{% endmacro %}{{ ${chain.replace(/^\w+/, 'm')} }}`),
);

const scope = {
  sandbox: 'dev',
  env: { ROSTER_VAR_X: 'x-value' },
  secret: (name: string) => `secret://${name}`,
  x: { fields: { email: 'p1@example.com' } },
};

const host = process as { mainModule?: unknown };
const mainModule = host.mainModule;

beforeAll(() => {
  process.env[SECRET_NAME] = SECRET_VALUE;
  // As in template-injection.test.ts: what `node bin/roster.js` has, so that an escape would run.
  host.mainModule ??= { require: createRequire(__filename) };
});
afterAll(async () => {
  delete process.env[SECRET_NAME];
  host.mainModule = mainModule;
  await fs.rm(marker, { force: true });
});

describe('random member-access chains over globals and literals', () => {
  it('render plain data or fail with a located template error; nothing runs, Function is never reached', () => {
    fc.assert(
      fc.property(templates, fc.boolean(), (template, throwOnUndefined) => {
        let output: string | undefined;
        try {
          output = compileTemplate(template, { throwOnUndefined }).render(scope);
        } catch (error) {
          // nunjucks' own error (compile or render), never a SyntaxError from generated code or a bare TypeError.
          expect(error).toBeInstanceOf(Error);
          expect((error as Error).name).toBe('Template render error');
          expect((error as Error).message).not.toContain(SECRET_VALUE);
        }
        if (output !== undefined) {
          expect(output).not.toContain('[native code]');
          expect(output).not.toMatch(/function\s*\w*\s*\(|=>/);
          expect(output).not.toContain(SECRET_VALUE);
        }
        expect((globalThis as Record<string, unknown>)[ESCAPED]).toBeUndefined();
        expect(markerExists(marker)).toBe(false);
      }),
      { numRuns: 3000, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
    );
  });
  recordHostile({ suite: 'template fuzz', tried: 3000, held: 3000 });

  it('in a resource file, every failure is a located CONFIG_TEMPLATE problem', () => {
    fc.assert(
      fc.property(chains, (chain) => {
        const text = `kind: Segment\nmetadata:\n  description: "{{ ${chain} }}"\n`;
        const result = renderTemplate(text, 'segments/fuzz.yaml', { sandbox: 'dev', env: scope.env });
        if ('problem' in result) {
          expect(result.problem).toMatchObject({ code: 'CONFIG_TEMPLATE', file: 'segments/fuzz.yaml', line: 3 });
          expect(result.problem.column).toBeGreaterThanOrEqual(16);
        }
        expect(markerExists(marker)).toBe(false);
      }),
      { numRuns: 1000 },
    );
    recordHostile({ suite: 'template fuzz', tried: 1000, held: 1000 });
  });

  it('names with quotes, backslashes and code in every name position never reach the generated code', () => {
    const tokens = fc.stringMatching(/^[a-z"'\\;`$]{1,8}$/);
    const positions = fc.constantFrom(
      (n: string) => `{% set ${n} = 1 %}`,
      (n: string) => `{% for ${n} in [1] %}{% endfor %}`,
      (n: string) => `{% macro ${n}() %}{% endmacro %}`,
      (n: string) => `{{ 1 == ${n} }}`,
      (n: string) => `{% switch 1 %}{% case 1 %}{{ ${n} }}{% endswitch %}`,
      (n: string) => `{{ 1 | ${n} }}`,
      (n: string) => `{{ 1 is ${n} }}`,
      (n: string) => `{{ x["${n.replaceAll('"', '\\"')}"]() }}`,
      (n: string) => `{% block ${n} %}{% endblock %}`,
    );
    fc.assert(
      fc.property(positions, tokens, (position, name) => {
        try {
          compileTemplate(position(`${name};globalThis.${ESCAPED}=1;`), { throwOnUndefined: false }).render(scope);
        } catch (error) {
          expect((error as Error).name).toBe('Template render error');
        }
        expect((globalThis as Record<string, unknown>)[ESCAPED]).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
    recordHostile({ suite: 'template fuzz', tried: 2000, held: 2000 });
  });
});
