/** `${env:NAME}` references inside string values of the user's files. */
const ENV_REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g

export const ENV_REF_SYNTAX = '${env:NAME}'

/** True when a text tries to use `${env:`, well formed or not. */
export const hasEnvRefSyntax = (text: string): boolean => text.includes('${env:')

/** True when a text holds a `${env:` that is not a complete `${env:NAME}` (`${env:}`, `${env:A-B}`, no `}`). */
export function hasMalformedEnvRef(text: string): boolean {
  return text.replace(ENV_REF, '').includes('${env:')
}

/** Names referenced in a string, in order of appearance. */
export function envRefsIn(text: string): string[] {
  return [...text.matchAll(ENV_REF)].map((m) => m[1] as string)
}

/** Every `${env:NAME}` name used anywhere in a plain value (strings nested in objects and arrays). */
export function collectEnvRefs(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === 'string') for (const name of envRefsIn(value)) into.add(name)
  else if (Array.isArray(value)) for (const item of value) collectEnvRefs(item, into)
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) collectEnvRefs(item, into)
  return into
}

/**
 * Replaces every reference with its value from `env`. Never mutates the input. A reference to an unset
 * variable is left as written: callers check with `collectEnvRefs` first and report it as a diagnostic.
 */
export function substituteEnv<T>(value: T, env: Readonly<Record<string, string | undefined>>): T {
  return mapStrings(value, (text) => text.replace(ENV_REF, (whole, name: string) => env[name] ?? whole)) as T
}

/** Replaces every reference with a fixed text (`<redacted>` for output). */
export function replaceEnvRefs<T>(value: T, replacement: string): T {
  return mapStrings(value, (text) => text.replace(ENV_REF, replacement)) as T
}

export function mapStrings(value: unknown, fn: (text: string) => string): unknown {
  if (typeof value === 'string') return fn(value)
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, fn))
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)]))
  return value
}
