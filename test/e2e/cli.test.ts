import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { roster } from '../support/run-roster';

describe('the roster executable', () => {
  it('validates examples/acme: exit 0, every kind counted, evaluation modes explained', () => {
    const { code, stdout, stderr } = roster(['validate', 'examples/acme']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('examples/acme: 14 resources in 15 files are valid (sandbox dev).');
    expect(stdout).toMatch(/hot-leads\s+streaming/);
    expect(stdout).toMatch(/buying-committee\s+batch/);
  });

  it('gives a stable JSON report with --format json', () => {
    const { code, stdout } = roster(['validate', 'examples/acme', '--format', 'json', '--sandbox', 'prod']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      valid: true,
      directory: 'examples/acme',
      sandbox: 'prod',
      resourceCount: 14,
      problems: [],
    });
    expect(report.kinds).toEqual({ Source: 3, IdentityMapping: 1, Segment: 7, Destination: 3 });
    expect(report.segments.find((s: { name: string }) => s.name === 'enterprise-accounts')).toMatchObject({
      subject: 'account',
      mode: 'batch',
    });
  });

  it('reports problems as JSON objects with code, file, line, column, pointer and message', () => {
    const dir = path.join('test', 'golden', 'validate', 'unknown-field', 'config');
    const { code, stdout } = roster(['validate', dir, '--format', 'json']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout).problems).toEqual([
      {
        code: 'CONFIG_SCHEMA',
        file: `${dir}/segment.yaml`,
        line: 7,
        column: 3,
        pointer: '/spec/evaluaton',
        message: 'unknown property "evaluaton"; did you mean "evaluation"?',
      },
    ]);
  });

  it('exits 2 with a one-line message, no stack trace, on a bad option value', () => {
    const { code, stdout, stderr } = roster(['validate', 'examples/acme', '--sandbox', 'Prod!']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('--sandbox "Prod!" is not a valid sandbox name');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on an unknown command and 1 on a missing directory, without stack traces', () => {
    const unknown = roster(['valdate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'valdate'");
    const missing = roster(['validate', 'no/such/dir']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain(
      'CONFIG_READ no/such/dir: no such directory; pass the directory holding your resource files',
    );
    expect(`${missing.stdout}${missing.stderr}`).not.toMatch(/\n\s+at /);
  });

  it('documents every command with --help', () => {
    const { code, stdout } = roster(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('validate [options] [dir]');
    const validate = roster(['validate', '--help']);
    expect(validate.code).toBe(0);
    expect(validate.stdout).toContain('--format <format>');
  });
});
