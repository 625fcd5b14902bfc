import type {SourceLocation} from '../shared/diagnostics.js'
import type {Path} from '../validate/describe.js'

/** Finds the position of a path in the layer (file) that set a value. */
export type LocateInLayer = (path: Path) => SourceLocation

interface Origin {
  location: SourceLocation
  /** The layer's locator: a path inside a value set whole came from the same file, on its own line. */
  within: LocateInLayer | undefined
}

/**
 * Where each value of a merged body was set: path → the line that set it. A path without an entry
 * was set with its nearest ancestor that has one (lists and replaced-whole values are set whole), so
 * it is located in that ancestor's file, on its own line; a path with none at all holds an endpoint default.
 */
export class FieldOrigins {
  private readonly byPath = new Map<string, Origin>()

  static key(path: Path): string {
    return path.map(String).join('\u0000')
  }

  /** Records that `path` was set (as a whole) at `location`, forgetting what was under it before. */
  set(path: Path, location: SourceLocation, within?: LocateInLayer): void {
    const prefix = FieldOrigins.key(path)
    for (const existing of [...this.byPath.keys()]) if (existing.startsWith(`${prefix}\u0000`)) this.byPath.delete(existing)
    this.byPath.set(prefix, {location, within})
  }

  /** The line that set `path` (or, inside a value set whole, its own line in that file); undefined for an endpoint default. */
  of(path: Path): SourceLocation | undefined {
    for (let n = path.length; n > 0; n--) {
      const found = this.byPath.get(FieldOrigins.key(path.slice(0, n)))
      if (found) return n === path.length || !found.within ? found.location : found.within(path)
    }
    return undefined
  }

  clone(): FieldOrigins {
    const copy = new FieldOrigins()
    for (const [k, v] of this.byPath) copy.byPath.set(k, v)
    return copy
  }
}
