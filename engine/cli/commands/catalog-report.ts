import type { OPERATORS_BY_TYPE } from '../../catalog/attribute-catalog';
import type { EntityDescription, LinkDescription } from '../../catalog/describe-catalog';

/** The `--format json` document of `roster catalog`; documented in docs/cli.md. */
export interface CatalogReport {
  directory: string;
  sandbox: string;
  /** Problems `roster validate` would report; the catalog shows the resources that parsed. */
  problemCount: number;
  operatorsByType: typeof OPERATORS_BY_TYPE;
  entities: EntityDescription[];
  links: LinkDescription[];
}
