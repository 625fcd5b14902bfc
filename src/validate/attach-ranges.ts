import {isMap, isPair, isScalar, isSeq, type Node} from 'yaml'
import {locate, type SourceDocument} from '../load/source-document.js'
import type {Diagnostic, DiagnosticSnippet, SourceRange} from '../shared/diagnostics.js'
import {isSecretKey, REDACTED, redactUrl} from '../shared/redact.js'

/** A snippet line longer than this is cut around the range (a minified line would flood the terminal). */
const MAX_SNIPPET_CHARS = 160

/**
 * The "contextual" step (after Terraform's tfdiags): checks say what is wrong about a value (its
 * `path` in `file`, or a point); this adds where it is, from the parsed sources held in memory. A
 * diagnostic with a file and a path but no line gets its line and column; one with a line gets the
 * `range` of the YAML node that starts there (or of the word there), and the `snippet` of its line,
 * redacted. Diagnostics in other files, or with a range already, are left as they are. Pure.
 */
export function attachSourceRanges(
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyArray<SourceDocument | undefined>,
): Diagnostic[] {
  const byFile = new Map<string, SourceDocument>()
  for (const source of sources) if (source) byFile.set(source.file, source)
  return diagnostics.map((d) => {
    const source = d.file === undefined ? undefined : byFile.get(d.file)
    if (!source || d.range) return d
    const at = d.line === undefined && d.path && !d.address?.profile ? locate(source, d.path) : d
    if (at.line === undefined) return d
    const range = rangeAt(source, at.line, at.column ?? 1)
    const snippet = snippetOf(source, range)
    return {...d, line: range.start.line, column: range.start.column, range, ...(snippet ? {snippet} : {})}
  })
}

/** The range of the outermost node starting at line:column, or of the run of non-space characters there. */
export function rangeAt(source: SourceDocument, line: number, column: number): SourceRange {
  const start = offsetOf(source, line, column)
  const text = source.text
  let end = nodeEndAt(source, start)
  if (end === undefined || end <= start) {
    end = start
    while (end < text.length && !/\s/.test(text[end] as string)) end++
    if (end === start) end = Math.min(start + 1, Math.max(text.length, start + 1))
  }
  const endPos = source.lineCounter.linePos(end)
  return {start: {line, column}, end: {line: endPos.line, column: endPos.col}}
}

/**
 * The source line of the range's start, with secrets hidden (values under secret-named keys, URL
 * userinfo and query values), and the columns of the range inside that text (to the line's end when
 * the range goes on). Undefined when the line cannot be found.
 */
export function snippetOf(source: SourceDocument, range: SourceRange): DiagnosticSnippet | undefined {
  const text = source.text
  const lineStart = source.lineCounter.lineStarts[range.start.line - 1]
  if (lineStart === undefined) return undefined
  let lineEnd = text.indexOf('\n', lineStart)
  if (lineEnd === -1) lineEnd = text.length
  if (text[lineEnd - 1] === '\r') lineEnd--
  const from = lineStart + range.start.column - 1
  const to = range.end.line === range.start.line ? lineStart + range.end.column - 1 : trimmedEnd(text, lineStart, lineEnd)
  const pieces = redactedPieces(source, text, lineStart, lineEnd)
  // Rebuild the line piece by piece, so the range's columns follow the redactions before it.
  let out = ''
  let start = 0
  let end = 0
  for (const piece of pieces) {
    if (piece.from <= from && from < piece.to) start = out.length + (piece.shown === piece.original ? from - piece.from : 0)
    if (piece.from < to && to <= piece.to)
      end = out.length + (piece.shown === piece.original ? to - piece.from : piece.shown.length)
    out += piece.shown
  }
  if (from >= lineEnd) start = out.length
  if (to > lineEnd || end < start) end = Math.max(start + 1, out.length)
  return cut({line: range.start.line, text: out, start_column: start + 1, end_column: Math.max(end, start + 1) + 1})
}

/** Keeps MAX_SNIPPET_CHARS of a long line, around the range. */
function cut(snippet: DiagnosticSnippet): DiagnosticSnippet {
  if (snippet.text.length <= MAX_SNIPPET_CHARS) return snippet
  const from = Math.max(0, Math.min(snippet.start_column - 1 - 20, snippet.text.length - MAX_SNIPPET_CHARS))
  const text = `${from > 0 ? '…' : ''}${snippet.text.slice(from, from + MAX_SNIPPET_CHARS)}…`
  const shift = from - (from > 0 ? 1 : 0)
  const clamp = (c: number) => Math.max(1, Math.min(c - shift, text.length + 1))
  return {line: snippet.line, text, start_column: clamp(snippet.start_column), end_column: clamp(snippet.end_column)}
}

interface Piece {
  from: number
  to: number
  original: string
  shown: string
}

/**
 * The line as pieces: scalars under a secret-named key (wherever they are on the line, in flow or
 * block style, or a line inside a block scalar) become REDACTED; the rest goes through redactUrl one
 * run of non-space characters at a time (a URL ends at a space or a quote, so this is the same as
 * redacting the whole line, and each piece keeps its own offsets).
 */
function redactedPieces(source: SourceDocument, text: string, lineStart: number, lineEnd: number): Piece[] {
  const secret = (secretSpans(source).get(lineStart) ?? []).flatMap(([a, b]) =>
    b <= lineStart || a >= lineEnd ? [] : [[Math.max(a, lineStart), Math.min(b, lineEnd)] as const],
  )
  secret.sort((x, y) => x[0] - y[0])
  const pieces: Piece[] = []
  let at = lineStart
  const plain = (to: number) => {
    for (const match of text.slice(at, to).matchAll(/\s+|[^\s]+/g)) {
      const from = at + (match.index ?? 0)
      const original = match[0]
      pieces.push({
        from,
        to: from + original.length,
        original,
        shown: /\s/.test(original[0] as string) ? original : redactUrl(original),
      })
    }
    at = to
  }
  for (const [a, b] of secret) {
    if (b <= at) continue
    if (a > at) plain(a)
    const from = Math.max(a, at)
    pieces.push({from, to: b, original: text.slice(from, b), shown: REDACTED})
    at = b
  }
  plain(lineEnd)
  return pieces
}

/**
 * Offsets [start, end) of every scalar that sits under a secret-named key, at any depth, by the start
 * offset of each line they touch (a snippet looks up its own line only). Cached per source.
 */
const SECRET_SPANS = new WeakMap<SourceDocument, Map<number, Array<[number, number]>>>()

function secretSpans(source: SourceDocument): Map<number, Array<[number, number]>> {
  const cached = SECRET_SPANS.get(source)
  if (cached) return cached
  const spans = new Map<number, Array<[number, number]>>()
  const add = (from: number, to: number) => {
    const {lineStarts} = source.lineCounter
    for (let line = source.lineCounter.linePos(from).line; line <= source.lineCounter.linePos(to).line; line++) {
      const start = lineStarts[line - 1]
      if (start === undefined) break
      const onLine = spans.get(start)
      if (onLine) onLine.push([from, to])
      else spans.set(start, [[from, to]])
    }
  }
  const stack: Array<{node: unknown; secret: boolean}> = [{node: source.doc.contents, secret: false}]
  while (stack.length > 0) {
    const {node, secret} = stack.pop() as {node: unknown; secret: boolean}
    if (isScalar(node)) {
      const range = (node as Node).range
      if (secret && range) add(range[0], range[1])
    } else if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue
        const keySecret = secret || (isScalar(pair.key) && isSecretKey(String(pair.key.value)))
        stack.push({node: pair.value, secret: keySecret})
      }
    } else if (isSeq(node)) for (const item of node.items) stack.push({node: item, secret})
  }
  SECRET_SPANS.set(source, spans)
  return spans
}

/** Start offset → end offset of the outermost node (a value or a key) starting there; one walk per source. */
const NODE_ENDS = new WeakMap<SourceDocument, Map<number, number>>()

function nodeEndAt(source: SourceDocument, offset: number): number | undefined {
  let ends = NODE_ENDS.get(source)
  if (!ends) {
    ends = new Map()
    // Parents are visited before their children, so the first node seen at an offset is the outermost.
    const stack: unknown[] = [source.doc.contents]
    while (stack.length > 0) {
      const node = stack.pop()
      const range = (node as Node | null | undefined)?.range
      if (range && !ends.has(range[0])) ends.set(range[0], range[1])
      if (isMap(node)) for (const pair of node.items) stack.push(pair.value, pair.key)
      else if (isSeq(node)) for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i])
    }
    NODE_ENDS.set(source, ends)
  }
  return ends.get(offset)
}

function trimmedEnd(text: string, lineStart: number, lineEnd: number): number {
  let end = lineEnd
  while (end > lineStart && /\s/.test(text[end - 1] as string)) end--
  return end
}

function offsetOf(source: SourceDocument, line: number, column: number): number {
  const lineStart = source.lineCounter.lineStarts[line - 1] ?? 0
  return lineStart + column - 1
}
