import type { Problem } from '../config/problem';
import type { Resource } from '../config/resource';
import { didYouMean } from '../util/did-you-mean';
import type { AudienceTest } from './audience-test';

/**
 * Problems with what the tests name: sources, their objects, segments and destinations the project
 * does not declare; data blocks without exactly one of `records` and `file`; tests that expect
 * nothing; test names used twice. Pure; `CONFIG_TEST`, located in the test file.
 */
export function checkTestReferences(tests: readonly AudienceTest[], resources: readonly Resource[]): Problem[] {
  const problems: Problem[] = [];
  const sources = new Map(resources.filter((r) => r.kind === 'Source').map((r) => [r.name, r]));
  const segments = resources.filter((r) => r.kind === 'Segment').map((r) => r.name);
  const seen = new Set<string>();
  for (const test of tests) {
    const at = (pointer: string, message: string): Problem => ({
      code: 'CONFIG_TEST',
      file: test.file,
      ...test.locate(pointer),
      pointer,
      message,
    });
    if (seen.has(test.name))
      problems.push(at('/metadata/name', `another AudienceTest is named "${test.name}"; give each test its own name`));
    seen.add(test.name);
    test.spec.data.forEach((data, i) => {
      if ((data.records === undefined) === (data.file === undefined))
        problems.push(
          at(
            `/spec/data/${i}`,
            'give the records either inline (`records`) or in a file (`file`), exactly one of the two',
          ),
        );
      const source = sources.get(data.source);
      if (!source)
        problems.push(
          at(
            `/spec/data/${i}/source`,
            `no Source named "${data.source}" in the project${hint(data.source, [...sources.keys()])}`,
          ),
        );
      else if (!source.spec.objects.some((o) => o.name === data.object)) {
        const objects = source.spec.objects.map((o) => o.name);
        problems.push(
          at(
            `/spec/data/${i}/object`,
            `Source/${data.source} has no object "${data.object}"${hint(data.object, objects)}`,
          ),
        );
      }
    });
    if (!test.spec.expect && !test.spec.activations)
      problems.push(at('/spec', 'the test expects nothing; add `expect` (segment members) or `activations`'));
    const destinations = resources.filter((r) => r.kind === 'Destination').map((r) => r.name);
    test.spec.activations?.forEach((expectation, i) => {
      if (!destinations.includes(expectation.destination))
        problems.push(
          at(
            `/spec/activations/${i}/destination`,
            `no Destination named "${expectation.destination}" in the project${hint(expectation.destination, destinations)}`,
          ),
        );
    });
    test.spec.expect?.forEach((expectation, i) => {
      if (!segments.includes(expectation.segment))
        problems.push(
          at(
            `/spec/expect/${i}/segment`,
            `no Segment named "${expectation.segment}" in the project${hint(expectation.segment, segments)}`,
          ),
        );
    });
  }
  return problems;
}

/** `; did you mean "x"?` for a near miss, else the names allowed. */
function hint(input: string, names: readonly string[]): string {
  const suggestion = didYouMean(input, names);
  if (suggestion !== undefined) return `; did you mean "${suggestion}"?`;
  return `; name one of: ${names.join(', ') || '(none declared)'}`;
}
