/**
 * Recall's firewall sits in front of the API (NOTES.md): a body on a GET, or a localhost URL anywhere
 * in a payload, is answered `403 {"code":"request_blocked"}` before the request reaches the API.
 */
const LOOPBACK_HOST = String.raw`(?:(?:[a-z0-9-]+\.)*localhost|127(?:\.\d{1,3}){3}|\[::1\]|0\.0\.0\.0)`
/** `scheme://[userinfo@]host` with a loopback host, or a bare `host:port` (a URL without its scheme). */
const LOOPBACK_URL = new RegExp(
  String.raw`(?:://(?:[^/@\s]*@)?${LOOPBACK_HOST}(?=[:/?#\s"]|$))|(?:^${LOOPBACK_HOST}:\d+(?:[/?#]|$))`,
  'i',
)

export function findLoopbackUrl(value: unknown): string | undefined {
  if (typeof value === 'string') return LOOPBACK_URL.test(value) ? value : undefined
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findLoopbackUrl(item)
      if (found !== undefined) return found
    }
    return undefined
  }
  if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) {
      const found = findLoopbackUrl(item)
      if (found !== undefined) return found
    }
  }
  return undefined
}

export interface Blocked {
  code: 'request_blocked'
  detail: string
}

/**
 * Why the firewall blocks this request, or undefined. The body is scanned parsed when it is JSON
 * (`json` parses it, once), raw otherwise.
 */
export function firewallVerdict(
  method: string,
  rawBody: string,
  json: () => {ok: true; value: unknown} | {ok: false},
): Blocked | undefined {
  if (rawBody.length === 0) return undefined
  if (method === 'GET' || method === 'HEAD')
    return {code: 'request_blocked', detail: 'This request was blocked by the firewall: a GET request must not carry a body.'}
  const parsed = json()
  const found = findLoopbackUrl(parsed.ok ? parsed.value : rawBody)
  if (found === undefined) return undefined
  return {
    code: 'request_blocked',
    detail:
      'This request was blocked by the firewall: the payload contains a localhost URL, which the service cannot reach. Use a public URL.',
  }
}
