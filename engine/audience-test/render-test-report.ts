import { type AudienceTestResult, type ExpectationResult, testPassed } from './audience-test';

export type TestReportFormat = 'text' | 'json' | 'junit';

/** The report of a `roster test` run in the format asked for. Pure. */
export function renderTestReport(results: readonly AudienceTestResult[], format: TestReportFormat): string {
  if (format === 'json') return `${JSON.stringify(reportJson(results), null, 2)}\n`;
  if (format === 'junit') return renderJunit(results);
  return renderText(results);
}

function counts(results: readonly AudienceTestResult[]) {
  const expectations = results.flatMap((r) => r.expectations);
  const failedTests = results.filter((r) => !testPassed(r)).length;
  return {
    tests: results.length,
    failedTests,
    expectations: expectations.length,
    failedExpectations: expectations.filter((e) => !e.passed).length,
  };
}

function reportJson(results: readonly AudienceTestResult[]) {
  const c = counts(results);
  return {
    formatVersion: 1,
    passed: c.failedTests === 0,
    summary: c,
    tests: results.map((r) => ({ ...r, passed: testPassed(r), error: r.error ?? null })),
  };
}

function renderText(results: readonly AudienceTestResult[]): string {
  const lines: string[] = [];
  for (const result of results) {
    lines.push(`${testPassed(result) ? 'PASS' : 'FAIL'} AudienceTest/${result.name} (${result.file})`);
    if (result.error) lines.push(`  ERROR ${result.error}`);
    for (const bad of result.quarantined) lines.push(`  QUARANTINED ${bad}`);
    for (const e of result.expectations) lines.push(`  ${e.passed ? 'pass' : 'FAIL'} ${describeExpectation(e)}`);
  }
  const c = counts(results);
  lines.push(
    '',
    `${c.tests} test${c.tests === 1 ? '' : 's'}, ${c.tests - c.failedTests} passed, ${c.failedTests} failed; ${c.expectations} expectation${c.expectations === 1 ? '' : 's'}, ${c.failedExpectations} failed.`,
  );
  return `${lines.join('\n')}\n`;
}

function describeExpectation(e: ExpectationResult): string {
  const size = `${e.actual.length} member${e.actual.length === 1 ? '' : 's'}`;
  if (e.passed) return `${e.target}: ${size}, as expected`;
  const parts = [
    ...(e.missing.length > 0 ? [`missing ${e.missing.join(', ')}`] : []),
    ...(e.extra.length > 0 ? [`extra ${e.extra.join(', ')}`] : []),
  ];
  return `${e.target}: ${size}, ${e.expected.length} expected; ${parts.join('; ')}`;
}

/** JUnit XML: a suite per test, a case per expectation; no timings, so the report of the same run is the same text. */
function renderJunit(results: readonly AudienceTestResult[]): string {
  const c = counts(results);
  const errors = results.filter((r) => r.error !== undefined || r.quarantined.length > 0).length;
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="roster test" tests="${c.expectations + errors}" failures="${c.failedExpectations}" errors="${errors}">`,
  ];
  for (const r of results) {
    const failures = r.expectations.filter((e) => !e.passed).length;
    const errors = r.error !== undefined || r.quarantined.length > 0 ? 1 : 0;
    out.push(
      `  <testsuite name="${xml(`AudienceTest/${r.name}`)}" file="${xml(r.file)}" tests="${r.expectations.length + errors}" failures="${failures}" errors="${errors}">`,
    );
    if (errors > 0) {
      const message = [r.error, ...r.quarantined.map((q) => `quarantined ${q}`)].filter(Boolean).join('\n');
      out.push(
        `    <testcase classname="${xml(`AudienceTest/${r.name}`)}" name="load fixtures" file="${xml(r.file)}">`,
        `      <error message="${xml(message.split('\n')[0]!)}">${xmlText(message)}</error>`,
        '    </testcase>',
      );
    }
    for (const e of r.expectations) out.push(...junitCase(r, e));
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

function junitCase(r: AudienceTestResult, e: ExpectationResult): string[] {
  const open = `    <testcase classname="${xml(`AudienceTest/${r.name}`)}" name="${xml(e.target)}" file="${xml(r.file)}" line="${e.line}"`;
  if (e.passed) return [`${open}/>`];
  const body = `expected: ${e.expected.join(', ') || '(none)'}\nactual: ${e.actual.join(', ') || '(none)'}`;
  return [
    `${open}>`,
    `      <failure type="MembersDiffer" message="${xml(describeExpectation(e))}">${xmlText(body)}</failure>`,
    '    </testcase>',
  ];
}

/** Text for an attribute value. */
function xml(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}

/** Text for element content (line breaks kept). */
function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
