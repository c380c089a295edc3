import type { TemplateNode } from './nunjucks-internals';

/**
 * Every node under `root`, itself included. nunjucks' own `findAll` skips fields that hold plain
 * arrays (`{% set %}` targets, comparison operands, `{% switch %}` cases), so checks built on it
 * would miss names there.
 */
export function allNodes(root: TemplateNode): TemplateNode[] {
  const found: TemplateNode[] = [];
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const item = pending.pop();
    if (Array.isArray(item)) pending.push(...item);
    else if (isNode(item)) {
      found.push(item);
      for (const field of (item as unknown as { fields: string[] }).fields)
        pending.push((item as unknown as Record<string, unknown>)[field]);
    }
  }
  return found;
}

function isNode(value: unknown): value is TemplateNode {
  return typeof value === 'object' && value !== null && Array.isArray((value as { fields?: unknown }).fields);
}
