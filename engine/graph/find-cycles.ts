import type { ResourceKey } from '../config/resource';

/**
 * Every elementary cycle's representative: one cycle per strongly connected component that has
 * one (Tarjan), rotated to start at its smallest key, in the direction of the references.
 */
export function findCycles(
  dependencies: ReadonlyMap<ResourceKey, readonly ResourceKey[]>,
  compare: (a: ResourceKey, b: ResourceKey) => number,
): ResourceKey[][] {
  const cycles: ResourceKey[][] = [];
  for (const component of stronglyConnected(dependencies)) {
    const start = [...component].sort(compare)[0]!;
    const selfLoop = component.length === 1 && (dependencies.get(start) ?? []).includes(start);
    if (component.length === 1 && !selfLoop) continue;
    cycles.push(selfLoop ? [start] : walkCycle(start, new Set(component), dependencies, compare));
  }
  return cycles.sort((a, b) => compare(a[0]!, b[0]!));
}

/** A path from `start` back to `start` inside the component (breadth-first: the shortest one). */
function walkCycle(
  start: ResourceKey,
  component: ReadonlySet<ResourceKey>,
  dependencies: ReadonlyMap<ResourceKey, readonly ResourceKey[]>,
  compare: (a: ResourceKey, b: ResourceKey) => number,
): ResourceKey[] {
  const previous = new Map<ResourceKey, ResourceKey>();
  const queue: ResourceKey[] = [start];
  while (queue.length > 0) {
    const key = queue.shift()!;
    for (const next of [...(dependencies.get(key) ?? [])].sort(compare)) {
      if (!component.has(next)) continue;
      if (next === start) return unwind(key, previous, start);
      if (!previous.has(next)) {
        previous.set(next, key);
        queue.push(next);
      }
    }
  }
  return [start];
}

function unwind(last: ResourceKey, previous: ReadonlyMap<ResourceKey, ResourceKey>, start: ResourceKey): ResourceKey[] {
  const path = [last];
  while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
  return path;
}

/** Tarjan's strongly connected components, iteratively (deep reference chains must not overflow the stack). */
function stronglyConnected(dependencies: ReadonlyMap<ResourceKey, readonly ResourceKey[]>): ResourceKey[][] {
  const index = new Map<ResourceKey, number>();
  const low = new Map<ResourceKey, number>();
  const onStack = new Set<ResourceKey>();
  const stack: ResourceKey[] = [];
  const components: ResourceKey[][] = [];
  let counter = 0;
  for (const root of dependencies.keys()) {
    if (index.has(root)) continue;
    const work: [ResourceKey, number][] = [[root, 0]];
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const [key, childIndex] = frame;
      if (childIndex === 0 && !index.has(key)) {
        index.set(key, counter);
        low.set(key, counter++);
        stack.push(key);
        onStack.add(key);
      }
      const children = dependencies.get(key) ?? [];
      if (childIndex < children.length) {
        frame[1]++;
        const child = children[childIndex]!;
        if (!index.has(child)) work.push([child, 0]);
        else if (onStack.has(child)) low.set(key, Math.min(low.get(key)!, index.get(child)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent[0], Math.min(low.get(parent[0])!, low.get(key)!));
      if (low.get(key) === index.get(key)) {
        const component: ResourceKey[] = [];
        let member: ResourceKey;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== key);
        components.push(component);
      }
    }
  }
  return components;
}
