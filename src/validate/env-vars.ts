import type {Diagnostic} from '../shared/diagnostics.js'
import {envRefsIn} from '../shared/env-refs.js'
import {locate, type SourceDocument} from '../load/source-document.js'
import type {Path} from './describe.js'
import type {EnvCheck} from './types.js'

/** Reports each `${env:NAME}` whose variable is unset, at the string that uses it. Values are never shown. */
export function checkEnvRefs(value: unknown, where: {source: SourceDocument; basePath: Path; subject: string}, check: EnvCheck): Diagnostic[] {
  const diagnostics: Diagnostic[] = []
  const walk = (node: unknown, path: Path): void => {
    if (typeof node === 'string') {
      for (const name of new Set(envRefsIn(node))) {
        if (check.env[name] !== undefined) continue
        diagnostics.push({
          severity: check.unset,
          code: 'env_unset',
          message: `${where.subject}: environment variable ${name} is not set (used as \${env:${name}}). Set it before running plan or apply.`,
          ...locate(where.source, [...where.basePath, ...path]),
        })
      }
    } else if (Array.isArray(node)) node.forEach((item, i) => walk(item, [...path, i]))
    else if (node !== null && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, [...path, k])
  }
  walk(value, [])
  return diagnostics
}
