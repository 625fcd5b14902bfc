import type {z} from 'zod'
import type {Diagnostic} from '../shared/diagnostics.js'
import {ENV_REF_SYNTAX, envRefsIn, hasEnvRefSyntax, hasMalformedEnvRef} from '../shared/env-refs.js'
import {locate, type SourceDocument} from '../load/source-document.js'
import {formatPath, quoteName, type Path} from './describe.js'
import type {EnvCheck} from './types.js'
import {expectedKind, isFreeText, schemaAt} from './zod-introspect.js'

/**
 * Where `${env:}` may stand. A secret makes sense only in free text (URLs, metadata values, text
 * provider options): anywhere else (ids, names, selectors, enums, numbers, booleans) a reference would
 * skip the checks that protect the calls, so it is refused.
 */
export interface EnvPlacement {
  /** The schema of the value checked: a reference is allowed where it says free text (`isFreeText`). */
  schema?: z.ZodType
  /** What the value at `path` is, when no reference may stand there whatever the schema says. */
  refused?: (path: Path) => string | undefined
  /** Extra advice for a refused reference at `path` (e.g. api_key_env takes a variable's name). */
  hint?: (path: Path) => string | undefined
}

const FREE_TEXT = 'URLs, metadata values and text provider options'

/**
 * Reports each `${env:NAME}` that stands where no secret belongs, is malformed, or whose variable is
 * unset or empty (an empty value is as wrong as a missing one: a CI secret that was never configured).
 * Values are never shown: only names and places.
 */
export function checkEnvRefs(
  value: unknown,
  where: {source: SourceDocument; basePath: Path; subject: string},
  check: EnvCheck,
  placement: EnvPlacement = {},
): Diagnostic[] {
  const diagnostics: Diagnostic[] = []
  const at = (path: Path, key = false) => locate(where.source, [...where.basePath, ...path], {key})
  const refusal = (path: Path): string | undefined => {
    const explicit = placement.refused?.(path)
    if (explicit !== undefined) return explicit
    const schema = placement.schema && schemaAt(placement.schema, path, value)
    return schema && !isFreeText(schema) ? expectedKind(schema) : undefined
  }
  const refuse = (path: Path, names: readonly string[], what: string, key: boolean): void => {
    const refs = names.length > 0 ? names.map((n) => `\${env:${n}}`).join(', ') : ENV_REF_SYNTAX
    const hint = placement.hint?.(path)
    diagnostics.push({
      severity: 'error',
      code: 'env_not_allowed',
      message:
        `${where.subject}: ${key ? `the key "${quoteName(String(path[path.length - 1]))}"` : quoteName(formatPath(path)) || 'this value'} uses ${refs}, ` +
        `but this is ${what}, which cannot come from the environment: ${ENV_REF_SYNTAX} is substituted only in free text (${FREE_TEXT}). ` +
        `${hint ?? 'Write the value itself.'}`,
      ...at(path, key),
    })
  }
  const walk = (node: unknown, path: Path): void => {
    if (typeof node === 'string') {
      if (!hasEnvRefSyntax(node)) return
      const names = [...new Set(envRefsIn(node))]
      if (hasMalformedEnvRef(node))
        diagnostics.push({
          severity: 'error',
          code: 'env_malformed',
          message: `${where.subject}: ${quoteName(formatPath(path)) || 'this value'} holds "\${env:" that is not a complete ${ENV_REF_SYNTAX} (a name of letters, digits and "_", not starting with a digit, then "}"). Fix the reference.`,
          ...at(path),
        })
      if (names.length === 0) return
      const what = refusal(path)
      if (what !== undefined) return refuse(path, names, what, false)
      for (const name of names) {
        const set = check.env[name]
        if (set !== undefined && set !== '') continue
        diagnostics.push({
          severity: check.unset,
          code: set === undefined ? 'env_unset' : 'env_empty',
          message:
            set === undefined
              ? `${where.subject}: environment variable ${name} is not set (used as \${env:${name}}). Set it before running plan or apply.`
              : `${where.subject}: environment variable ${name} is set but empty (used as \${env:${name}}); an empty secret is a mistake, such as a CI secret that is not configured. Set it to its value before running plan or apply.`,
          ...at(path),
          path: [...where.basePath, ...path],
        })
      }
    } else if (Array.isArray(node)) node.forEach((item, i) => walk(item, [...path, i]))
    else if (node !== null && typeof node === 'object')
      for (const [k, v] of Object.entries(node)) {
        if (hasEnvRefSyntax(k)) refuse([...path, k], envRefsIn(k), 'a key', true)
        walk(v, [...path, k])
      }
  }
  walk(value, [])
  return diagnostics
}
