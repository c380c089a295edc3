import { OPERATORS_BY_TYPE } from '../../catalog/attribute-catalog';
import { describeCatalog, describeLinks, sourceObjects } from '../../catalog/describe-catalog';
import type { SourceResourceItem } from '../../config/resource';
import { checkConfigDir, renderProblemsText } from '../../deploy/check-config-dir';
import { type CliIo, EXIT } from '../cli-io';
import type { CatalogReport } from './catalog-report';
import { renderCatalogText } from './render-catalog-text';

export interface CatalogOptions {
  dir: string;
  sandbox: string;
  format: 'text' | 'json';
}

/**
 * `roster catalog [dir]`: the attributes a project's segments and destinations can use, per entity
 * (built-in and its sources' custom fields), with type, operators and the source fields that fill
 * them. Reads files only. A directory that cannot be read is an error; other problems do not hide
 * the catalog (it is what one looks at to fix an unknown attribute), they are counted on stderr.
 */
export async function runCatalog(options: CatalogOptions, io: CliIo): Promise<number> {
  const checked = await checkConfigDir(options.dir, options.sandbox, io);
  const unreadable = checked.problems.filter((p) => p.code === 'CONFIG_READ' && p.line === 0);
  if (unreadable.length > 0) {
    io.stdout(renderProblemsText(unreadable));
    return EXIT.failed;
  }
  const sources = [...checked.validated.graph.resources.values()].filter(
    (r): r is SourceResourceItem => r.kind === 'Source',
  );
  const objects = sourceObjects(sources);
  const report: CatalogReport = {
    directory: options.dir,
    sandbox: options.sandbox,
    problemCount: checked.problems.length,
    operatorsByType: OPERATORS_BY_TYPE,
    entities: describeCatalog(checked.validated.catalog, objects),
    links: describeLinks(objects),
  };
  io.stdout(options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderCatalogText(report));
  if (checked.problems.length > 0) {
    const n = checked.problems.length;
    io.stderr(
      `${n} problem${n === 1 ? '' : 's'} in the configuration (roster validate ${options.dir} lists them); the catalog shows the resources that parsed\n`,
    );
  }
  return EXIT.ok;
}
