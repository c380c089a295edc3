import type { CountFilter } from '../../schemas/generated/resource-types';
import type { AttributeDefinition, CatalogEntity } from '../catalog/attribute-catalog';

/** Relations a condition can follow, named as in the Segment schema. */
export type RelationName =
  | 'account'
  | 'parent'
  | 'opportunities'
  | 'accountRelations'
  | 'persons'
  | 'campaigns'
  | 'lists';

/** Scalar values a comparison can hold (always sent to the database as bind parameters). */
export type ComparisonValue = string | number | boolean | (string | number | boolean)[] | undefined;

interface Located {
  /** Pointer of the node relative to the resource (`/spec/where/all/0`). */
  pointer: string;
}

/** A normalised, catalog-checked condition tree: what the compiler and the static rules read. */
export type ConditionNode =
  | CombinatorNode
  | NotNode
  | ComparisonNode
  | RelationNode
  | EventNode
  | SegmentRefNode
  | ProvenanceNode;

export interface CombinatorNode extends Located {
  kind: 'all' | 'any';
  children: ConditionNode[];
}

export interface NotNode extends Located {
  kind: 'not';
  child: ConditionNode;
}

export interface ComparisonNode extends Located {
  kind: 'compare';
  entity: CatalogEntity;
  attribute: AttributeDefinition;
  op: string;
  value: ComparisonValue;
}

export interface RelationNode extends Located {
  kind: 'relation';
  relation: RelationName;
  from: CatalogEntity;
  to: CatalogEntity;
  /** Written as a dotted attribute (`account.industry`) rather than a relation block. */
  dotted: boolean;
  role?: string[];
  primary?: boolean;
  active?: boolean;
  status?: string[];
  where?: ConditionNode;
  count?: CountFilter;
}

export interface EventNode extends Located {
  kind: 'events';
  types: string[];
  within?: string;
  where?: ConditionNode;
  count?: CountFilter;
}

export interface SegmentRefNode extends Located {
  kind: 'segment';
  segment: string;
  negated: boolean;
  /** Subject of the scope the reference appears in (`person` or `account`). */
  subject: 'person' | 'account';
}

/** Where the subject's data came from: a record from a source, an identity in a namespace. */
export interface ProvenanceNode extends Located {
  kind: 'fromSource' | 'hasIdentity';
  /** The source's name, or the identity namespace's. */
  name: string;
  subject: 'person' | 'account';
}
