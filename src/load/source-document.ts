import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Lexer,
  LineCounter,
  parseDocument,
  YAMLParseError,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
} from 'yaml'
import type {Diagnostic, SourceLocation} from '../shared/diagnostics.js'
import {MAX_ALIAS_COUNT, MAX_NESTING_DEPTH} from '../shared/limits.js'

/** One YAML file as read: its text, its parsed document (with positions), and its plain value. */
export interface SourceDocument {
  /** Path relative to the project root, with `/` separators, as shown in diagnostics. */
  file: string
  /** The text as read (the snippets under diagnostics come from it, redacted). */
  text: string
  doc: Document.Parsed
  lineCounter: LineCounter
  /** `doc.toJS()`: undefined when the file has a syntax error or is empty. */
  value: unknown
}

/**
 * Parses YAML text (pure), in time linear in its size. Syntax errors come back as diagnostics with
 * their positions, and so do the bounds: nesting deeper than MAX_NESTING_DEPTH (checked on the tokens
 * before parsing, as the parser recurses), a key twice in one map (yaml's own check is quadratic in
 * the number of keys, so it is off and done here over a Set), an alias of an undefined anchor, and
 * aliases expanding beyond MAX_ALIAS_COUNT nodes. A file with any of these has no value.
 */
export function parseSource(file: string, text: string): {source: SourceDocument; diagnostics: Diagnostic[]} {
  const lineCounter = new LineCounter()
  const at = (offset: number) => {
    const pos = lineCounter.linePos(offset)
    return {file, line: pos.line, column: pos.col}
  }
  const tooDeep = (offset: number): Diagnostic => ({
    severity: 'error',
    code: 'nesting_too_deep',
    message: `YAML nested more than ${MAX_NESTING_DEPTH} levels deep (maps and lists inside each other). Flatten the structure: recordings files need a few levels.`,
    ...at(offset),
  })

  const deepAt = flowTooDeepAt(text)
  if (deepAt !== undefined) {
    const doc = parseDocument('')
    lineCounter.addNewLine(0)
    for (let i = 0, n = text.length; i < n; i++) if (text.charCodeAt(i) === 10) lineCounter.addNewLine(i + 1)
    doc.errors.push(new YAMLParseError([deepAt, deepAt + 1], 'RESOURCE_EXHAUSTION', 'nesting too deep'))
    return {source: {file, text, doc, lineCounter, value: undefined}, diagnostics: [tooDeep(deepAt)]}
  }

  const doc = parseDocument(text, {lineCounter, prettyErrors: false, uniqueKeys: false, strict: true})
  const diagnostics: Diagnostic[] = []
  for (const error of doc.errors) {
    // The parser recurses per level: a structure it could not descend is too deep, not a syntax error.
    if (/call stack|stack overflow/i.test(error.message)) {
      diagnostics.push(tooDeep(error.pos[0]))
      break
    }
    diagnostics.push({
      severity: 'error',
      code: 'yaml_syntax',
      message: `YAML syntax error: ${firstLine(error.message)}. ${YAML_FIXES[error.code] ?? 'Fix the YAML at this position (check indentation, quotes and colons).'}`,
      ...at(error.pos[0]),
    })
  }
  for (const warning of doc.warnings)
    diagnostics.push({severity: 'warning', code: 'yaml_warning', message: firstLine(warning.message), ...at(warning.pos[0])})
  if (doc.errors.length > 0) return {source: {file, text, doc, lineCounter, value: undefined}, diagnostics}

  const problems = structureProblems(doc, at)
  diagnostics.push(...problems.diagnostics)
  let value: unknown
  if (problems.fatal) doc.errors.push(new YAMLParseError([0, 0], 'RESOURCE_EXHAUSTION', 'refused'))
  else {
    try {
      value = doc.toJS({maxAliasCount: MAX_ALIAS_COUNT})
    } catch {
      // toJS throws only for aliases (an undefined one is caught above): too many nodes expanded.
      const first = problems.firstAlias ?? 0
      diagnostics.push({
        severity: 'error',
        code: 'yaml_alias_limit',
        message: `YAML aliases in this file expand to more than ${MAX_ALIAS_COUNT} nodes (the first alias is here): an alias bomb, or aliases nested too much. Write the values out, or use profiles and extends instead of aliases.`,
        ...at(first),
      })
      doc.errors.push(new YAMLParseError([first, first + 1], 'RESOURCE_EXHAUSTION', 'alias limit'))
    }
  }
  return {source: {file, text, doc, lineCounter, value}, diagnostics}
}

/** The yaml library's error codes, said as what to do (its own words, kept first, say what it saw). */
const YAML_FIXES: Partial<Record<YAMLParseError['code'], string>> = {
  BAD_INDENT:
    'Fix the YAML at this position: keys of one map line up, deeper than their parent key, and each `{`, `[` or quote opened before is closed.',
  TAB_AS_INDENT: 'Fix the YAML at this position: indent with spaces, as YAML does not allow tabs for indentation.',
  MISSING_CHAR: 'Fix the YAML at this position: close the quote, bracket or brace opened before it.',
  MULTIPLE_DOCS:
    'Fix the YAML at this position: keep one document per file (remove the `---` line, or move the rest to a file of its own).',
  MULTILINE_IMPLICIT_KEY:
    'Fix the YAML at this position: write each key on one line, then a colon; quote a value that goes on, or use a block scalar (|).',
  BLOCK_AS_IMPLICIT_KEY:
    'Fix the YAML at this position: write each key on one line, then a colon; quote a value that goes on, or use a block scalar (|).',
  BAD_DQ_ESCAPE: 'Fix the YAML at this position: inside double quotes write a backslash as \\\\, or use single quotes.',
  KEY_OVER_1024_CHARS: 'Fix the YAML at this position: YAML keys are at most 1024 characters.',
}

const firstLine = (message: string): string => (message.split('\n')[0] ?? message).replace(/\s*at line \d+, column \d+:?$/, '')

/**
 * The offset where flow collections (`[`, `{`) nest deeper than the cap, or undefined. Counting the
 * brackets in the text is a quick bound; when it could be exceeded, yaml's lexer (linear, no
 * recursion) tells brackets from text inside quotes, comments and block scalars.
 */
function flowTooDeepAt(text: string): number | undefined {
  let openers = 0
  for (let i = 0, n = text.length; i < n && openers <= MAX_NESTING_DEPTH; i++) {
    const c = text.charCodeAt(i)
    if (c === 91 || c === 123) openers++
  }
  if (openers <= MAX_NESTING_DEPTH) return undefined
  let depth = 0
  let offset = 0
  for (const token of new Lexer().lex(text)) {
    // Tokens of one control character (document start, scalar marker...) are not in the text.
    if (token.length === 1 && token.charCodeAt(0) < 0x20 && token !== '\n' && token !== '\t') continue
    if (token === '[' || token === '{') {
      if (++depth > MAX_NESTING_DEPTH) return offset
    } else if ((token === ']' || token === '}') && depth > 0) depth--
    offset += token.length
  }
  return undefined
}

/**
 * One walk over the parsed document, in document order, with an explicit stack (no recursion): nesting
 * depth, keys repeated in one map (reported with both lines), and aliases of anchors not defined before
 * them. `fatal` when the value must not be built (too deep, or an undefined alias).
 */
function structureProblems(
  doc: Document.Parsed,
  at: (offset: number) => SourceLocation,
): {diagnostics: Diagnostic[]; fatal: boolean; firstAlias?: number} {
  const diagnostics: Diagnostic[] = []
  const anchors = new Set<string>()
  let fatal = false
  let firstAlias: number | undefined
  const stack: Array<{node: unknown; depth: number}> = [{node: doc.contents, depth: 0}]
  while (stack.length > 0) {
    const {node, depth} = stack.pop() as {node: unknown; depth: number}
    if (node === null || node === undefined) continue
    const anchor = (node as {anchor?: string}).anchor
    if (isAlias(node)) {
      const offset = rangeStart(node) ?? 0
      firstAlias ??= offset
      if (!anchors.has(node.source)) {
        fatal = true
        diagnostics.push({
          severity: 'error',
          code: 'yaml_undefined_alias',
          message: `YAML alias *${node.source.slice(0, 60)} refers to no anchor defined before it. Define &${node.source.slice(0, 60)} earlier in this file, or write the value out.`,
          ...at(offset),
        })
      }
      continue
    }
    if (anchor !== undefined) anchors.add(anchor)
    if (!isMap(node) && !isSeq(node)) continue
    if (depth >= MAX_NESTING_DEPTH) {
      fatal = true
      diagnostics.push({
        severity: 'error',
        code: 'nesting_too_deep',
        message: `YAML nested more than ${MAX_NESTING_DEPTH} levels deep (maps and lists inside each other). Flatten the structure: recordings files need a few levels.`,
        ...at(rangeStart(node) ?? 0),
      })
      break
    }
    const children: unknown[] = []
    if (isMap(node)) {
      keyIndex(node, (key, first, again) => {
        diagnostics.push({
          severity: 'error',
          code: 'duplicate_key',
          message: `key "${key.length > 80 ? `${key.slice(0, 80)}…` : key}" appears twice in the same map, at lines ${at(rangeStart(first.key) ?? 0).line} and ${at(rangeStart(again.key) ?? 0).line}. Keep one of them: the later one would silently win.`,
          ...at(rangeStart(again.key) ?? 0),
          related: [{...at(rangeStart(first.key) ?? 0), message: 'first written here'}],
        })
      })
      for (const pair of node.items) children.push(pair.key, pair.value)
    } else children.push(...node.items)
    for (let i = children.length - 1; i >= 0; i--) stack.push({node: children[i], depth: depth + 1})
  }
  return {diagnostics, fatal, ...(firstAlias === undefined ? {} : {firstAlias})}
}

/** Pairs of each map by key text, built once per map: `locate` is then O(1) per level, not O(keys). */
const KEY_INDEX = new WeakMap<YAMLMap, Map<string, Pair>>()

function keyIndex(map: YAMLMap, onDuplicate?: (key: string, first: Pair, again: Pair) => void): Map<string, Pair> {
  let index = KEY_INDEX.get(map)
  if (index && !onDuplicate) return index
  index = new Map()
  for (const item of map.items) {
    if (!isPair(item) || !isScalar(item.key)) continue
    const key = String(item.key.value)
    const first = index.get(key)
    if (first) onDuplicate?.(key, first, item)
    else index.set(key, item)
  }
  KEY_INDEX.set(map, index)
  return index
}

/**
 * Where a path points in the file. With `key: true`, the position of the map key itself (for unknown
 * keys); otherwise of the value. Falls back to the deepest existing ancestor, then to 1:1.
 */
export function locate(
  source: SourceDocument,
  path: ReadonlyArray<string | number>,
  options: {key?: boolean} = {},
): SourceLocation {
  let node: unknown = source.doc.contents
  let offset = rangeStart(node) ?? 0
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]
    const isLast = i === path.length - 1
    if (isMap(node)) {
      const pair = keyIndex(node).get(String(segment))
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
