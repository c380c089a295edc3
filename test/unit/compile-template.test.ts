import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../engine/template/compile-template';

function render(source: string, scope: Record<string, unknown>, throwOnUndefined = true): string {
  return compileTemplate(source, { throwOnUndefined }).render(scope);
}

describe('the sandboxed renderer keeps the documented template features', () => {
  it('reads sandbox, allow-listed env and secret() references, with defaults', () => {
    const scope = { sandbox: 'prod', env: { ROSTER_VAR_TEAM: 'abm' }, secret: (name: string) => `secret://${name}` };

    expect(
      render(
        '{{ sandbox }}/{{ env.ROSTER_VAR_TEAM }}/{{ env.MISSING | default("none") }}/{{ secret("TOKEN") }}',
        scope,
      ),
    ).toBe('prod/abm/none/secret://TOKEN');
  });

  it('loops over lists and dicts with loop variables, sets, conditions, macros and call blocks', () => {
    const source = [
      '{% for c in changes %}{{ loop.index }}:{{ c.fields["account.name"] }}{% if not loop.last %},{% endif %}{% endfor %}',
      '{% for name, value in changes[0].fields %}[{{ name }}={{ value }}]{% endfor %}',
      '{% set n = changes | length %}{{ n + 1 }}',
      '{% macro wrap(x) %}<{{ x }}{{ caller() if caller else "" }}>{% endmacro %}{{ wrap("a") }}{% call wrap("b") %}!{% endcall %}',
    ].join('|');
    const scope = { changes: [{ fields: { 'account.name': 'Acme' } }, { fields: { 'account.name': 'Globex' } }] };

    expect(render(source, scope)).toBe('1:Acme,2:Globex|[account.name=Acme]|3|<a><b!>');
  });

  it('offers the documented filters, including json and join with an attribute', () => {
    const scope = { people: [{ email: 'A@x.io' }, { email: 'b@x.io' }], title: '  vp sales ' };

    expect(
      render(
        '{{ people | join(", ", "email") | lower }}|{{ title | trim | title }}|{{ people[0] | json }}|{{ "a-b" | replace("-", "+") }}|{{ people | first | dump }}|{{ 3.7 | int }}',
        scope,
      ),
    ).toBe('a@x.io, b@x.io|Vp Sales|{"email":"A@x.io"}|a+b|{"email":"A@x.io"}|3');
  });

  it('renders undefined values empty when asked to (webhook payloads), and json renders them null', () => {
    expect(
      render('[{{ change.fields.title }}]{{ change.fields.title | json }}', { change: { fields: {} } }, false),
    ).toBe('[]null');
  });

  it('never turns a function into text (its source code): output, ~, + and filters refuse it', () => {
    const scope = { secret: (name: string) => `secret://${name}` };
    const attempts = [
      '{{ secret }}',
      '{{ secret | string }}',
      '{{ "" ~ secret }}',
      '{% macro m() %}{% endmacro %}{{ m + "" }}',
    ];

    for (const attempt of attempts) {
      expect(() => render(attempt, scope)).toThrow(
        /a function cannot be (written to the output|passed to the string filter|an operand of [~+]); call it instead/,
      );
    }
  });
});
