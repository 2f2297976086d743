import { isNode, type Document, type LineCounter } from 'yaml';

/**
 * The 1-based line (within the YAML text) of the deepest node that exists along `path`, so a schema error
 * about `assert.1.service` points at that assertion even when the bad key itself is missing.
 */
export function lineOfPath(doc: Document, lineCounter: LineCounter, path: (string | number)[]): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return 1;
}
