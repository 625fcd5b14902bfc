import {mapStrings, replaceEnvRefs} from './env-refs.js'

export const REDACTED = '<redacted>'

/** Metadata keys whose values are treated as secrets. */
const SECRET_KEY = /secret|token|password|key/i

/**
 * A URL anywhere in a text: a scheme, `://`, then everything up to whitespace or a quote (`<` and `>`
 * are kept in, so that an already redacted part is not cut off and redacted twice).
 */
const URL_IN_TEXT = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s"'`]*)/gi

/**
 * Hides what must never be printed from a value that is about to be shown: `${env:}` references,
 * userinfo and query-string values of URLs, and metadata values under secret-looking keys.
 * Returns a new value; the input is untouched.
 */
export function redactValue<T>(value: T): T {
  return redactSecretMetadata(mapStrings(replaceEnvRefs(value, REDACTED), redactUrl)) as T
}

/**
 * `https://user:pw@host/p?token=abc&x=1#t=2` → `https://<redacted>@host/p?token=<redacted>&x=<redacted>#t=<redacted>`,
 * for every URL in the text, wherever it sits (a metadata value may hold a sentence with a link).
 */
export function redactUrl(text: string): string {
  return text.replace(URL_IN_TEXT, (_whole, scheme: string, rest: string) => `${scheme}${redactUrlRest(rest)}`)
}

function redactUrlRest(rest: string): string {
  // Userinfo ends at the last "@" of the authority (a password may hold an unescaped "@").
  const authorityEnd = rest.search(/[/?#]/)
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd)
  const at = authority.lastIndexOf('@')
  const out = at === -1 ? rest : `${REDACTED}@${rest.slice(at + 1)}`
  const fragmentStart = out.indexOf('#')
  const beforeFragment = fragmentStart === -1 ? out : out.slice(0, fragmentStart)
  const fragment = fragmentStart === -1 ? '' : out.slice(fragmentStart + 1)
  const queryStart = beforeFragment.indexOf('?')
  const base = queryStart === -1 ? beforeFragment : beforeFragment.slice(0, queryStart)
  const query = queryStart === -1 ? '' : `?${redactParams(beforeFragment.slice(queryStart + 1))}`
  // A fragment of `key=value` pairs carries tokens in some flows (`#access_token=...`): same treatment.
  const hash = fragmentStart === -1 ? '' : `#${fragment.includes('=') ? redactParams(fragment) : fragment}`
  return `${base}${query}${hash}`
}

/** `a=1&b=2` → `a=<redacted>&b=<redacted>`; a bare `flag` stays (it has no value). */
function redactParams(params: string): string {
  return params
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=')
      return eq === -1 ? pair : `${pair.slice(0, eq)}=${REDACTED}`
    })
    .join('&')
}

function redactSecretMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => redactSecretMetadata(item))
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => {
      if (key === 'metadata' && inner !== null && typeof inner === 'object' && !Array.isArray(inner))
        return [key, Object.fromEntries(Object.entries(inner).map(([k, v]) => [k, SECRET_KEY.test(k) && v !== null ? REDACTED : v]))]
      return [key, redactSecretMetadata(inner)]
    }),
  )
}

/**
 * The last line of defence at the output edge: every known secret value (the API key, each value
 * substituted for `${env:}`) is replaced wherever it appears in text about to be written.
 * Values shorter than 4 characters are not scrubbed (they would garble ordinary words); they still
 * never reach output through the paths above.
 */
export class SecretScrubber {
  private readonly secrets = new Set<string>()

  add(...values: Array<string | undefined>): this {
    for (const value of values) if (value !== undefined && value.length >= 4) this.secrets.add(value)
    return this
  }

  scrub(text: string): string {
    let out = text
    // Longest first, so a secret that contains another is hidden whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) out = out.split(secret).join(REDACTED)
    return out
  }
}
