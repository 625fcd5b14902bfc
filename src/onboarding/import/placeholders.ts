/**
 * Secrets never reach an imported file (pure): URL userinfo, URL query and fragment values, and
 * metadata values under secret-looking keys (the same parts redaction hides, shared/redact.ts) become
 * `${env:NAME}` references. Each name is derived from the profile and the place, readable and stable
 * for the same input: IMPORT_<PROFILE>_<WHERE>_<PART>. Substituting the values gives back the exact
 * text, so adoption (which compares substituted bodies) still matches the bot's create-time config.
 */
import {isSecretKey} from '../../shared/redact.js'

/** A URL in a text, as redaction finds it. */
const URL_IN_TEXT = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s"'`]*)/gi

export interface EnvVariable {
  name: string
  /** The text to set it to: held in memory for checks and tests, never printed or written. */
  value: string
  profile: string
  /** Where it is used, for a person: `realtime_endpoints[0].url (query value "token")`. */
  where: string
}

type Segment = string | number

/** Replaces the secrets of each profile's fields; returns the new fields and the variables they need. */
export function placeholderSecrets(profiles: ReadonlyArray<{name: string; fields: Record<string, unknown>}>): {
  profiles: Array<{name: string; fields: Record<string, unknown>}>
  variables: EnvVariable[]
} {
  const variables: EnvVariable[] = []
  const taken = new Set<string>()
  const out = profiles.map(({name, fields}) => {
    const nameFor = (path: readonly Segment[], part: string, root: Record<string, unknown>): string => {
      const base = envName(['IMPORT', name, ...describePlace(path, root), part])
      let candidate = base
      for (let n = 2; taken.has(candidate); n++) candidate = `${base}_${n}`
      taken.add(candidate)
      return candidate
    }
    const add = (path: readonly Segment[], part: string, label: string, value: string): string => {
      const variable = {name: nameFor(path, part, fields), value, profile: name, where: `${formatPath(path)} (${label})`}
      variables.push(variable)
      return `\${env:${variable.name}}`
    }
    const walk = (value: unknown, path: readonly Segment[]): unknown => {
      if (typeof value === 'string') return replaceUrlSecrets(value, path, add)
      if (Array.isArray(value)) return value.map((item, i) => walk(item, [...path, i]))
      if (value === null || typeof value !== 'object') return value
      const isMetadata = path[path.length - 1] === 'metadata'
      return Object.fromEntries(
        Object.entries(value).map(([key, inner]) => {
          const innerPath = [...path, key]
          if (isMetadata && typeof inner === 'string' && inner !== '' && isSecretKey(key))
            return [key, add(innerPath, '', `metadata value under "${key}"`, inner)]
          return [key, walk(inner, innerPath)]
        }),
      )
    }
    return {name, fields: walk(fields, []) as Record<string, unknown>}
  })
  return {profiles: out, variables}
}

type Add = (path: readonly Segment[], part: string, label: string, value: string) => string

function replaceUrlSecrets(text: string, path: readonly Segment[], add: Add): string {
  return text.replace(URL_IN_TEXT, (_whole, scheme: string, rest: string) => `${scheme}${replaceInUrlRest(rest, path, add)}`)
}

function replaceInUrlRest(rest: string, path: readonly Segment[], add: Add): string {
  const authorityEnd = rest.search(/[/?#]/)
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd)
  const at = authority.lastIndexOf('@')
  const userinfo = at === -1 ? '' : authority.slice(0, at)
  const head =
    at === -1
      ? rest
      : `${userinfo === '' ? '' : add(path, 'USERINFO', 'user and password of the URL', userinfo)}@${rest.slice(at + 1)}`
  const fragmentStart = head.indexOf('#')
  const beforeFragment = fragmentStart === -1 ? head : head.slice(0, fragmentStart)
  const fragment = fragmentStart === -1 ? undefined : head.slice(fragmentStart + 1)
  const queryStart = beforeFragment.indexOf('?')
  const base = queryStart === -1 ? beforeFragment : beforeFragment.slice(0, queryStart)
  const query = queryStart === -1 ? '' : `?${replaceParams(beforeFragment.slice(queryStart + 1), path, add, 'query')}`
  const hash =
    fragment === undefined ? '' : `#${fragment.includes('=') ? replaceParams(fragment, path, add, 'fragment') : fragment}`
  return `${base}${query}${hash}`
}

function replaceParams(params: string, path: readonly Segment[], add: Add, where: 'query' | 'fragment'): string {
  return params
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=')
      if (eq === -1 || eq === pair.length - 1) return pair
      const key = pair.slice(0, eq)
      return `${key}=${add(path, key === '' ? where.toUpperCase() : key, `${where} value "${key}"`, pair.slice(eq + 1))}`
    })
    .join('&')
}

/** Readable words for a place: a real-time endpoint by its type, the plumbing segments dropped. */
function describePlace(path: readonly Segment[], root: Record<string, unknown>): string[] {
  const words: string[] = []
  for (let i = 0; i < path.length; i++) {
    const segment = path[i] as Segment
    if (segment === 'realtime_endpoints' && typeof path[i + 1] === 'number') {
      const list = root['realtime_endpoints'] as Array<{type?: string}>
      const index = path[i + 1] as number
      const type = list[index]?.type ?? 'endpoint'
      words.push(list.filter((e) => e?.type === type).length > 1 ? `${type}_${index}` : type)
      i++
      continue
    }
    if (segment === 'url' || segment === 'transcript' || segment === 'provider') continue
    words.push(String(segment))
  }
  return words
}

/** `['IMPORT', 'imported-1', 'webhook', 'token']` → `IMPORT_IMPORTED_1_WEBHOOK_TOKEN`. */
function envName(words: readonly string[]): string {
  const name = words
    .filter((w) => w !== '')
    .join('_')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
  return /^[0-9]/.test(name) ? `_${name}` : name
}

function formatPath(path: readonly Segment[]): string {
  let out = ''
  for (const segment of path) out += typeof segment === 'number' ? `[${segment}]` : out === '' ? segment : `.${segment}`
  return out
}
