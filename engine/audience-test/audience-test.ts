import type { AudienceTestSpec } from '../../schemas/generated/resource-types';
import type { LineColumn } from '../config/line-column';

/** An `AudienceTest` document read from a config directory, schema-valid, with the means to locate its parts. */
export interface AudienceTest {
  name: string;
  /** Path as the user reads it (relative to the directory they named). */
  file: string;
  /** Absolute directory of the test file: fixture files are relative to it. */
  dir: string;
  spec: AudienceTestSpec;
  locate(pointer: string): LineColumn;
}

/** The outcome of one expectation: who a segment (or destination) was expected to hold and who it held. */
export interface ExpectationResult {
  /** `Segment/<name>`, or `Destination/<name>` for the persons a destination would receive. */
  target: string;
  subject: 'person' | 'account';
  /** Line of the expectation in the test file (for CI annotations). */
  line: number;
  passed: boolean;
  expected: string[];
  /** The members, as emails (persons) or `name (domain)` (accounts), sorted. */
  actual: string[];
  /** Expected values no member matched. */
  missing: string[];
  /** Members no expected value matched. */
  extra: string[];
}

/** The outcome of one audience test. */
export interface AudienceTestResult {
  name: string;
  file: string;
  expectations: ExpectationResult[];
  /** Fixture records the sources' mappings refused (each a failure: the test did not load what it declared). */
  quarantined: string[];
  /** Set when the test could not run at all (apply failed, a segment failed): why. */
  error?: string;
}

/** A test passed when it ran, loaded every fixture record, and every expectation held. */
export function testPassed(result: AudienceTestResult): boolean {
  return result.error === undefined && result.quarantined.length === 0 && result.expectations.every((e) => e.passed);
}
