import type {Diagnostic} from '../shared/diagnostics.js'
import {STAMP_PREFIX} from '../shared/digest.js'
import {formatCount, MAX_METADATA_KEYS} from '../shared/limits.js'
import {locate, type SourceDocument} from '../load/source-document.js'
import {describeValue, formatPath, isSecretPath, kindOf, quoteName, quoteText, type Path} from './describe.js'

/**
 * Checks the values of every `metadata` map in a profile or assignment: Recall's metadata values are
 * text, `null` removes an inherited key, and the `recallctl_` prefix is ours. Returns a copy of the
 * value with the offending entries removed, so the schema check does not report them twice.
 */
export function checkMetadataMaps(
  value: unknown,
  where: {source: SourceDocument; basePath: Path; subject: string},
): {cleaned: unknown; diagnostics: Diagnostic[]} {
  const diagnostics: Diagnostic[] = []
  const walk = (node: unknown, path: Path): unknown => {
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...path, i]))
    if (node === null || typeof node !== 'object') return node
    const out: Record<string, unknown> = {}
    for (const [key, inner] of Object.entries(node)) {
      if (key === 'metadata' && inner !== null && typeof inner === 'object' && !Array.isArray(inner))
        out[key] = checkMap(inner as Record<string, unknown>, [...path, key])
      else out[key] = walk(inner, [...path, key])
    }
    return out
  }
  const checkMap = (map: Record<string, unknown>, path: Path): Record<string, unknown> => {
    const kept: Record<string, unknown> = {}
    const size = Object.keys(map).length
    if (size > MAX_METADATA_KEYS) {
      diagnostics.push({
        severity: 'error',
        code: 'metadata_too_large',
        message: `${where.subject}: ${formatPath(path)} has ${formatCount(size)} keys, over the limit of ${formatCount(MAX_METADATA_KEYS)} keys in one metadata map. Keep only the keys you filter or report on.`,
        ...locate(where.source, [...where.basePath, ...path], {key: true}),
      })
      return kept
    }
    for (const [key, inner] of Object.entries(map)) {
      const full = [...where.basePath, ...path, key]
      if (key.startsWith(STAMP_PREFIX)) {
        diagnostics.push({
          severity: 'error',
          code: 'reserved_metadata_key',
          message: `${where.subject}: metadata key "${quoteName(key)}" uses the reserved prefix "${STAMP_PREFIX}" (recallctl stamps its own recordings with it). Rename the key.`,
          ...locate(where.source, full, {key: true}),
        })
        continue
      }
      if (inner === null || typeof inner === 'string') {
        kept[key] = inner
        continue
      }
      const valuePath = [...path, key]
      const scalar = typeof inner === 'number' || typeof inner === 'boolean'
      const quoted = !scalar
        ? ''
        : isSecretPath(valuePath)
          ? ' Quote it (write the value in double quotes).'
          : ` Quote it: ${quoteName(key)}: "${quoteText(inner, valuePath)}".`
      diagnostics.push({
        severity: 'error',
        code: 'metadata_not_text',
        message: `${where.subject}: ${quoteName(formatPath(valuePath))} is ${describeValue(inner, valuePath)} (${kindOf(inner)}), but Recall's metadata values are text.${quoted || ' Write a string.'}`,
        ...locate(where.source, full),
      })
    }
    return kept
  }
  return {cleaned: walk(value, []), diagnostics}
}
