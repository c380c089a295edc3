/**
 * The types the clustering files share (the union-find, the graph builder, the record-level API):
 * in a file of their own so that none of them imports another in a circle.
 */

/** How a namespace takes part in stitching: unique per profile, and its rank among namespaces. */
export interface NamespaceRule {
  unique: boolean;
  priority: number;
}

/** A merge that was refused, and why. */
export interface StitchConflict {
  namespace: string;
  value: string;
  reason: string;
  recordKeys: string[];
}
