import {mapStrings, replaceEnvRefs} from './env-refs.js'

export const REDACTED = '<redacted>'

/** Keys whose values are treated as secrets (a pasted `Authorization: Token …` header included). */
const SECRET_KEY = /secret|token|passw|pwd|key|auth|bearer|credential|cookie|signature/i

/**
 * A key whose value is a secret: its name contains secret, token, passw(ord), pwd, key, auth(orization),
 * bearer, credential, cookie or signature.
 */
export const isSecretKey = (key: string): boolean => SECRET_KEY.test(key)

/** Secrets shorter than this are not scrubbed from free text: they would garble ordinary words. */
export const MIN_SCRUBBED_LENGTH = 4

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
        return [
          key,
          Object.fromEntries(Object.entries(inner).map(([k, v]) => [k, SECRET_KEY.test(k) && v !== null ? REDACTED : v])),
        ]
      return [key, redactSecretMetadata(inner)]
    }),
  )
}

/**
 * Every form a secret can take in text: as is, percent-encoded (encodeURIComponent, with `+` for
 * spaces, and JavaScript's `escape`), base64 (standard with and without padding, and URL-safe),
 * JSON-escaped, and hex (only for secrets of 8 characters or more: a short hex run matches ids by chance).
 */
export function encodedForms(secret: string): string[] {
  const utf8 = Buffer.from(secret, 'utf8')
  const forms = [
    secret,
    encodeURIComponent(secret),
    encodeURIComponent(secret).replace(/%20/g, '+'),
    escape(secret),
    utf8.toString('base64'),
    utf8.toString('base64').replace(/=+$/, ''),
    utf8.toString('base64url'),
    JSON.stringify(secret).slice(1, -1),
    ...(secret.length >= 8 ? [utf8.toString('hex')] : []),
  ]
  return [...new Set(forms)].filter((form) => form.length >= MIN_SCRUBBED_LENGTH)
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * One pattern matching every form of every secret, longest first (a secret that contains another is
 * hidden whole). Percent-encoded forms match whatever the case of their hex digits (`%2f` or `%2F`).
 */
export function secretsPattern(secrets: Iterable<string>): RegExp | undefined {
  const forms = new Set<string>()
  for (const secret of secrets) if (secret.length >= MIN_SCRUBBED_LENGTH) for (const form of encodedForms(secret)) forms.add(form)
  if (forms.size === 0) return undefined
  const alternatives = [...forms]
    .sort((a, b) => b.length - a.length)
    .map((form) =>
      escapeRegExp(form).replace(
        /%([0-9A-F])([0-9A-F])/g,
        (_m, a: string, b: string) => `%[${a}${a.toLowerCase()}][${b}${b.toLowerCase()}]`,
      ),
    )
  return new RegExp(alternatives.join('|'), 'g')
}

/** Replaces every form (see `encodedForms`) of each secret with `<redacted>`. */
export function scrubSecrets(text: string, secrets: Iterable<string>): string {
  const pattern = secretsPattern(secrets)
  return pattern ? text.replace(pattern, REDACTED) : text
}

/**
 * The secret strings inside a body about to be sent: userinfo (whole, user, password) and query and
 * fragment values of every URL in it (as written and decoded), and the values of secret-named
 * metadata keys. What an error body quoting this body must not show.
 */
export function secretStringsOf(value: unknown): string[] {
  const found = new Set<string>()
  const add = (text: string) => {
    found.add(text)
    try {
      found.add(decodeURIComponent(text.replace(/\+/g, ' ')))
      found.add(decodeURIComponent(text))
    } catch {
      // A malformed escape: the text as written is what a server would echo.
    }
  }
  const walk = (node: unknown, inMetadata: boolean, key: string): void => {
    if (typeof node === 'string') {
      if (inMetadata && isSecretKey(key)) add(node)
      for (const url of node.matchAll(URL_IN_TEXT)) urlSecrets(url[2] ?? '', add)
    } else if (Array.isArray(node)) node.forEach((item) => walk(item, false, ''))
    else if (node !== null && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, key === 'metadata', k)
  }
  walk(value, false, '')
  return [...found].filter((text) => text.length > 0)
}

function urlSecrets(rest: string, add: (text: string) => void): void {
  const authorityEnd = rest.search(/[/?#]/)
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd)
  const at = authority.lastIndexOf('@')
  if (at !== -1) {
    const userinfo = authority.slice(0, at)
    add(userinfo)
    const colon = userinfo.indexOf(':')
    if (colon !== -1) {
      add(userinfo.slice(0, colon))
      add(userinfo.slice(colon + 1))
    }
  }
  const tail = authorityEnd === -1 ? '' : rest.slice(authorityEnd)
  for (const part of tail.split(/[?#]/).slice(1))
    for (const pair of part.split('&')) {
      const eq = pair.indexOf('=')
      if (eq !== -1) add(pair.slice(eq + 1))
    }
}

/**
 * The last line of defence at the output edge: every known secret value (the API key, each value
 * substituted for `${env:}`) is replaced wherever it appears in text about to be written, in every
 * form of `encodedForms`. Values shorter than 4 characters are not scrubbed (they would garble
 * ordinary words); they still never reach output through the paths above.
 */
export class SecretScrubber {
  private readonly secrets = new Set<string>()
  private pattern: RegExp | undefined

  add(...values: Array<string | undefined>): this {
    for (const value of values) if (value !== undefined && value.length >= MIN_SCRUBBED_LENGTH) this.secrets.add(value)
    this.pattern = secretsPattern(this.secrets)
    return this
  }

  scrub(text: string): string {
    return this.pattern ? text.replace(this.pattern, REDACTED) : text
  }
}
