import { type ParsedConfig, parseConfig } from '../../engine/config/parse-config';
import type { ConfigFile } from '../../engine/config/read-config-files';
import type { TemplateContext } from '../../engine/config/render-template';

/** Parses in-memory files (`{ 'a.yaml': '...' }`) as the config stage would read them from disk. */
export function configFromText(
  files: Record<string, string | Buffer>,
  context: Partial<TemplateContext> = {},
): ParsedConfig {
  const list: ConfigFile[] = Object.entries(files).map(([name, content]) => ({
    displayPath: name,
    relativePath: name,
    absolutePath: `/virtual/${name}`,
    bytes: typeof content === 'string' ? Buffer.from(content) : content,
  }));
  return parseConfig(list, { sandbox: context.sandbox ?? 'dev', env: context.env ?? {} });
}

/** A minimal valid segment document with the given `where` (YAML, indented under `where:`). */
export function segmentYaml(name: string, where: string, extra = ''): string {
  return `apiVersion: roster/v1
kind: Segment
metadata:
  name: ${name}
spec:
  subject: person
${extra}  where:
${where
  .split('\n')
  .map((line) => `    ${line}`)
  .join('\n')}
`;
}
