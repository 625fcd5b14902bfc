import {isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node} from 'yaml'
import type {Diagnostic, SourceLocation} from '../shared/diagnostics.js'

/** One YAML file as read: its text, its parsed document (with positions), and its plain value. */
export interface SourceDocument {
  /** Path relative to the project root, with `/` separators, as shown in diagnostics. */
  file: string
  doc: Document.Parsed
  lineCounter: LineCounter
  /** `doc.toJS()`: undefined when the file has a syntax error or is empty. */
  value: unknown
}

/** Parses YAML text (pure). Syntax errors come back as diagnostics with their positions. */
export function parseSource(file: string, text: string): {source: SourceDocument; diagnostics: Diagnostic[]} {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, {lineCounter, prettyErrors: false, uniqueKeys: true, strict: true})
  const diagnostics: Diagnostic[] = []
  for (const error of doc.errors) {
    const pos = lineCounter.linePos(error.pos[0])
    diagnostics.push({
      severity: 'error',
      code: 'yaml_syntax',
      message: `YAML syntax error: ${firstLine(error.message)}. Fix the YAML at this position (check indentation, quotes and colons).`,
      file,
      line: pos.line,
      column: pos.col,
    })
  }
  for (const warning of doc.warnings) {
    const pos = lineCounter.linePos(warning.pos[0])
    diagnostics.push({severity: 'warning', code: 'yaml_warning', message: firstLine(warning.message), file, line: pos.line, column: pos.col})
  }
  const value = doc.errors.length > 0 ? undefined : doc.toJS({maxAliasCount: 100})
  return {source: {file, doc, lineCounter, value}, diagnostics}
}

const firstLine = (message: string): string => (message.split('\n')[0] ?? message).replace(/\s*at line \d+, column \d+:?$/, '')

/**
 * Where a path points in the file. With `key: true`, the position of the map key itself (for unknown
 * keys); otherwise of the value. Falls back to the deepest existing ancestor, then to 1:1.
 */
export function locate(source: SourceDocument, path: ReadonlyArray<string | number>, options: {key?: boolean} = {}): SourceLocation {
  let node: unknown = source.doc.contents
  let offset = rangeStart(node) ?? 0
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]
    const isLast = i === path.length - 1
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment))
      if (!pair) break
      if (isLast && options.key) {
        offset = rangeStart(pair.key) ?? offset
        break
      }
      node = pair.value
      offset = rangeStart(pair.value) ?? rangeStart(pair.key) ?? offset
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment]
      if (item === undefined) break
      node = item
      offset = rangeStart(item) ?? offset
    } else break
  }
  const pos = source.lineCounter.linePos(offset)
  return {file: source.file, line: pos.line, column: pos.col}
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range
  return range ? range[0] : undefined
}
