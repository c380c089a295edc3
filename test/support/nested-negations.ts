/**
 * A person segment whose condition is `depth` nested `not:` in block style (the shape the probe
 * used against plan and apply), as YAML text. The golden scenarios on depth limits write it.
 */
export function nestedNegationsYaml(depth: number): string {
  const lines = [
    'apiVersion: roster/v1',
    'kind: Segment',
    'metadata:',
    '  name: negations',
    'spec:',
    '  subject: person',
  ];
  let indent = '  ';
  lines.push(`${indent}where:`);
  for (let i = 0; i < depth; i++) {
    indent += '  ';
    lines.push(`${indent}not:`);
  }
  lines.push(`${indent}  { attribute: jobTitle, op: contains, value: VP }`);
  return `${lines.join('\n')}\n`;
}
