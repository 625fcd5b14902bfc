import type {SourceLocation} from '../shared/diagnostics.js'
import type {Path} from '../validate/describe.js'

/**
 * Where each value of a merged body was set: path → the line that set it. A path without an entry
 * takes the entry of its nearest ancestor; a path with none at all holds an endpoint default.
 */
export class FieldOrigins {
  private readonly byPath = new Map<string, SourceLocation>()

  static key(path: Path): string {
    return path.map(String).join('\u0000')
  }

  /** Records that `path` was set (as a whole) at `location`, forgetting what was under it before. */
  set(path: Path, location: SourceLocation): void {
    const prefix = FieldOrigins.key(path)
    for (const existing of [...this.byPath.keys()]) if (existing.startsWith(`${prefix}\u0000`)) this.byPath.delete(existing)
    this.byPath.set(prefix, location)
  }

  /** The line that set `path` or its nearest ancestor; undefined for an endpoint default. */
  of(path: Path): SourceLocation | undefined {
    for (let n = path.length; n > 0; n--) {
      const found = this.byPath.get(FieldOrigins.key(path.slice(0, n)))
      if (found) return found
    }
    return undefined
  }

  clone(): FieldOrigins {
    const copy = new FieldOrigins()
    for (const [k, v] of this.byPath) copy.byPath.set(k, v)
    return copy
  }
}
