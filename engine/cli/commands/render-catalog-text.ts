import type { AttributeType } from '../../catalog/attribute-catalog';
import type { CatalogReport } from './catalog-report';

/** `roster catalog` as text: operators once, then one table per entity, then the link fields. */
export function renderCatalogText(report: CatalogReport): string {
  const attributes = report.entities.flatMap((e) => e.attributes);
  const custom = attributes.filter((a) => a.declaredBy !== undefined).length;
  const out = [
    `Attribute catalog of ${report.directory} (sandbox ${report.sandbox}): ${attributes.length} attributes, ${custom} custom.`,
    '',
    'Operators by type (~ after a type: eq, neq, in and notIn ignore case):',
    ...(Object.keys(report.operatorsByType) as AttributeType[]).map(
      (type) => `  ${type.padEnd(9)} ${report.operatorsByType[type].join(', ')}`,
    ),
  ];
  for (const entity of report.entities) {
    out.push('', `${entity.entity}: ${entity.usedIn}`);
    out.push(
      ...table(
        ['attribute', 'type', 'declared by', 'filled by'],
        entity.attributes.map((a) => [
          a.name,
          a.caseInsensitive ? `${a.type} ~` : a.type,
          a.declaredBy ?? 'built-in',
          a.filledBy.join('; ') || '-',
        ]),
      ),
    );
  }
  out.push('', "Link fields (each takes the related record's source key):");
  out.push(
    ...table(
      ['link', 'filled by'],
      report.links.map((l) => [`${l.objectEntity}.${l.name}`, l.filledBy.join('; ') || '-']),
    ),
  );
  return `${out.join('\n')}\n`;
}

/** Rows indented by two, columns padded to their widest cell; the last column is not padded. */
function table(header: string[], rows: string[][]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return all.map((row) => `  ${row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}`);
}
