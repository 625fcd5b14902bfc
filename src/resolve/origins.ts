import type {SourceLocation} from '../shared/diagnostics.js'
import type {Path} from '../validate/describe.js'

/** Finds the position of a path in the layer (file) that set a value. */
export type LocateInLayer = (path: Path) => SourceLocation

interface Origin {
  location: SourceLocation
  /** The layer's locator: a path inside a value set whole came from the same file, on its own line. */
  within: LocateInLayer | undefined
}

interface OriginNode {
  origin?: Origin
  children?: Map<string, OriginNode>
}

/**
 * Where each value of a merged body was set: path → the line that set it. A path without an entry
 * was set with its nearest ancestor that has one (lists and replaced-whole values are set whole), so
 * it is located in that ancestor's file, on its own line; a path with none at all holds an endpoint default.
 * A tree by path segment: setting a path forgets what was under it in O(1), so merging a map of n keys
 * costs O(n), not O(n²).
 */
export class FieldOrigins {
  private readonly root: OriginNode = {}

  static key(path: Path): string {
    return path.map(String).join('\u0000')
  }

  /** Records that `path` was set (as a whole) at `location`, forgetting what was under it before. */
  set(path: Path, location: SourceLocation, within?: LocateInLayer): void {
    let node = this.root
    for (const segment of path) {
      node.children ??= new Map()
      const key = String(segment)
      let child = node.children.get(key)
      if (!child) node.children.set(key, (child = {}))
      node = child
    }
    node.origin = {location, within}
    delete node.children
  }

  /** The line that set `path` (or, inside a value set whole, its own line in that file); undefined for an endpoint default. */
  of(path: Path): SourceLocation | undefined {
    let node: OriginNode | undefined = this.root
    let found: {origin: Origin; depth: number} | undefined
    for (let n = 0; n < path.length && node; n++) {
      node = node.children?.get(String(path[n]))
      if (node?.origin) found = {origin: node.origin, depth: n + 1}
    }
    if (!found) return undefined
    return found.depth === path.length || !found.origin.within ? found.origin.location : found.origin.within(path)
  }

  clone(): FieldOrigins {
    const copy = new FieldOrigins()
    const copyNode = (from: OriginNode, to: OriginNode) => {
      if (from.origin) to.origin = from.origin
      if (!from.children) return
      to.children = new Map()
      for (const [key, child] of from.children) {
        const next: OriginNode = {}
        copyNode(child, next)
        to.children.set(key, next)
      }
    }
    copyNode(this.root, copy.root)
    return copy
  }
}
