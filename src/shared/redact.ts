import {mapStrings, replaceEnvRefs} from './env-refs.js'

export const REDACTED = '<redacted>'

/** Metadata keys whose values are treated as secrets. */
const SECRET_KEY = /secret|token|password|key/i

const URL_WITH_USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^@/?#]+)@/i
const URL_QUERY = /^([a-z][a-z0-9+.-]*:\/\/[^?#]*)\?([^#]*)/i

/**
 * Hides what must never be printed from a value that is about to be shown: `${env:}` references,
 * userinfo and query-string values of URLs, and metadata values under secret-looking keys.
 * Returns a new value; the input is untouched.
 */
export function redactValue<T>(value: T): T {
  return redactSecretMetadata(mapStrings(replaceEnvRefs(value, REDACTED), redactUrl)) as T
}

/** `https://user:pw@host/p?token=abc&x=1` → `https://<redacted>@host/p?token=<redacted>&x=<redacted>`. */
export function redactUrl(text: string): string {
  let out = text.replace(URL_WITH_USERINFO, `$1${REDACTED}@`)
  out = out.replace(URL_QUERY, (_whole, head: string, query: string) => {
    const params = query.split('&').map((pair) => {
      const eq = pair.indexOf('=')
      return eq === -1 ? pair : `${pair.slice(0, eq)}=${REDACTED}`
    })
    return `${head}?${params.join('&')}`
  })
  return out
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
