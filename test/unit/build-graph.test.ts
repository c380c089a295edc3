import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../engine/config/problem';
import { buildGraph } from '../../engine/graph/build-graph';
import { configFromText, segmentYaml } from '../support/config-from-text';

function graphOf(files: Record<string, string>) {
  const { resources, problems } = configFromText(files);
  expect(problems).toEqual([]);
  return buildGraph(resources);
}

const destination = (name: string, segments: string[]) => `apiVersion: roster/v1
kind: Destination
metadata: { name: ${name} }
spec:
  type: file
  file: { directory: out }
  segments:
${segments.map((s) => `    - segment: ${s}`).join('\n')}
`;

describe('buildGraph', () => {
  it('orders every resource after what it references, ties by kind then name', () => {
    const { graph, problems } = graphOf({
      'd.yaml': destination('exports', ['b', 'a']),
      'b.yaml': segmentYaml('b', 'inSegment: a'),
      'a.yaml': segmentYaml('a', 'attribute: email\nop: exists'),
      'z.yaml': segmentYaml('z', 'attribute: email\nop: exists'),
    });
    expect(problems).toEqual([]);
    expect(graph.order).toEqual(['Segment/a', 'Segment/b', 'Segment/z', 'Destination/exports']);
    expect(graph.dependencies.get('Destination/exports')).toEqual(['Segment/b', 'Segment/a']);
  });

  it('reports an unknown reference with the closest declared name', () => {
    const { problems } = graphOf({
      'd.yaml': destination('exports', ['hot-leds']),
      'a.yaml': segmentYaml('hot-leads', 'attribute: email\nop: exists'),
    });
    expect(problems.map(formatProblem)).toEqual([
      'CONFIG_UNKNOWN_REFERENCE d.yaml:8:7 /spec/segments/0/segment: Segment/hot-leds is not declared; did you mean "hot-leads"?',
    ]);
  });

  it('reports a duplicate name at the second declaration, naming the first', () => {
    const { problems } = graphOf({
      'a.yaml': segmentYaml('x', 'attribute: email\nop: exists'),
      'b.yaml': segmentYaml('x', 'attribute: email\nop: exists'),
    });
    expect(problems.map(formatProblem)).toEqual([
      'CONFIG_DUPLICATE_NAME b.yaml:4:3 /metadata/name: Segment/x is already declared at a.yaml:4:3; names are unique per kind: rename or remove one',
    ]);
  });

  it('reports a cycle once with its full path, and leaves its members out of the order', () => {
    const { graph, problems } = graphOf({
      'a.yaml': segmentYaml('a', 'inSegment: b'),
      'b.yaml': segmentYaml('b', 'notInSegment: c'),
      'c.yaml': segmentYaml('c', 'all:\n  - inSegment: a\n  - inSegment: d'),
      'd.yaml': segmentYaml('d', 'attribute: email\nop: exists'),
    });
    expect(problems.map((p) => p.message)).toEqual([
      'reference cycle Segment/a -> Segment/b -> Segment/c -> Segment/a; break it by removing one of these references',
    ]);
    expect(graph.order).toEqual(['Segment/d']);
  });

  it('reports a self-reference', () => {
    const { problems } = graphOf({ 'a.yaml': segmentYaml('a', 'not:\n  inSegment: a') });
    expect(problems.map(formatProblem)).toEqual([
      'CONFIG_CYCLE a.yaml:9:7 /spec/where/not/inSegment: Segment/a references itself; remove the reference',
    ]);
  });

  it('handles a reference chain thousands deep without overflowing the stack', () => {
    const files: Record<string, string> = { 's0.yaml': segmentYaml('s0', 'attribute: email\nop: exists') };
    for (let i = 1; i < 3000; i++) files[`s${i}.yaml`] = segmentYaml(`s${i}`, `inSegment: s${i - 1}`);
    const { graph, problems } = graphOf(files);
    expect(problems).toEqual([]);
    expect(graph.order[2999]).toBe('Segment/s2999');
  });
});
