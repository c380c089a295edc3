import { IntList } from './int-list';
import type { NamespaceRule } from './stitch-rule-types';

/** The namespace of conversion links (a converted lead and its contact): they rank before every identity. */
export const LINK_NAMESPACE = 'convertedTo';

/**
 * What clustering reads, in columns rather than one object per record (at 1,600,000 records the
 * objects and Maps cost gigabytes of heap): records numbered 0..n-1, and the identity values they
 * hold as groups of record numbers. A value held by one record of a namespace that is not unique is
 * only counted (`singletons`): it can never link, but it counts towards the identity cap.
 */
export interface StitchGraph {
  /** Record number -> `source/object/key`. */
  keys: readonly string[];
  /** Whether `keys` is in ascending order (JavaScript string order); clustering ranks records by key. */
  keysSorted: boolean;
  /** Per record: identities no other record of the graph holds, in namespaces that are not unique. */
  singletons: Int32Array;
  /** Namespace names; groups refer to them by index. */
  namespaces: readonly string[];
  /** Per group: its namespace index, value, and whether it is a conversion link (not an identity). */
  groupNamespace: Int32Array;
  groupValue: readonly string[];
  groupIsLink: Uint8Array;
  /** Group g's record numbers are `members[groupStart[g] .. groupStart[g + 1]]`. */
  groupStart: Int32Array;
  members: Int32Array;
  rules: ReadonlyMap<string, NamespaceRule>;
}

/** Builds a `StitchGraph`: records first (`addRecord`), then identity groups and links. */
export class StitchGraphBuilder {
  private readonly keys: string[] = [];
  private keysSorted = true;
  private singletons = new Int32Array(0);
  private readonly namespaces: string[] = [];
  private readonly namespaceIndex = new Map<string, number>();
  private readonly groupNamespace = new IntList();
  private readonly groupValue: string[] = [];
  private readonly groupIsLink = new IntList();
  private readonly groupStart = new IntList();
  private readonly members = new IntList();

  constructor(private readonly rules: ReadonlyMap<string, NamespaceRule>) {}

  /** Adds the next record (number = records added before it). */
  addRecord(key: string): number {
    const previous = this.keys[this.keys.length - 1];
    if (previous !== undefined && !(previous < key)) this.keysSorted = false;
    this.keys.push(key);
    return this.keys.length - 1;
  }

  /** Whether a value of `namespace` held by a single record must be kept (to compare unique values). */
  keepsSingle(namespace: string): boolean {
    return this.rules.get(namespace)?.unique === true;
  }

  /** The records (distinct numbers) holding `namespace`/`value`; the value of a single holder may be omitted when `keepsSingle` is false. */
  addIdentity(namespace: string, value: string, holders: ArrayLike<number>): void {
    if (holders.length === 1 && !this.keepsSingle(namespace)) {
      this.countSingleton(holders[0]!);
      return;
    }
    this.addGroup(namespace, value, holders, 0);
  }

  /** A converted lead `from` and its contact `to` are one person; `value` is the contact's key as the lead names it. */
  addLink(from: number, to: number, value: string): void {
    this.addGroup(LINK_NAMESPACE, value, [from, to], 1);
  }

  build(): StitchGraph {
    const singletons = new Int32Array(this.keys.length);
    singletons.set(this.singletons.subarray(0, Math.min(this.singletons.length, singletons.length)));
    this.groupStart.push(this.members.length);
    return {
      keys: this.keys,
      keysSorted: this.keysSorted,
      singletons,
      namespaces: this.namespaces,
      groupNamespace: this.groupNamespace.toInt32Array(),
      groupValue: this.groupValue,
      groupIsLink: Uint8Array.from(this.groupIsLink.toInt32Array()),
      groupStart: this.groupStart.toInt32Array(),
      members: this.members.toInt32Array(),
      rules: this.rules,
    };
  }

  private countSingleton(record: number): void {
    if (this.singletons.length < this.keys.length) {
      const grown = new Int32Array(this.keys.length);
      grown.set(this.singletons);
      this.singletons = grown;
    }
    this.singletons[record]!++;
  }

  private addGroup(namespace: string, value: string, holders: ArrayLike<number>, isLink: number): void {
    let index = this.namespaceIndex.get(namespace);
    if (index === undefined) {
      index = this.namespaces.push(namespace) - 1;
      this.namespaceIndex.set(namespace, index);
    }
    this.groupNamespace.push(index);
    this.groupValue.push(value);
    this.groupIsLink.push(isLink);
    this.groupStart.push(this.members.length);
    for (let i = 0; i < holders.length; i++) this.members.push(holders[i]!);
  }
}
