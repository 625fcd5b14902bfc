import {closest, distance} from 'fastest-levenshtein'

/**
 * Where the API key may go. Pure: no network, no undici. The config's `api` section is turned into a base
 * URL here; the API key is only ever sent to Recall's own hosts or to loopback, unless the user allowed a
 * custom host explicitly.
 */

/** Recall's regions (NOTES.md). Equal to REGIONS in src/config/project-config-schema.ts (a test checks). */
export const RECALL_REGIONS = ['us-west-2', 'us-east-1', 'eu-central-1', 'ap-northeast-1'] as const
export type RecallRegion = (typeof RECALL_REGIONS)[number]

/** Recall's legacy host for us-east-1. */
export const RECALL_LEGACY_HOST = 'api.recall.ai'

const RECALL_HOSTS: ReadonlySet<string> = new Set([...RECALL_REGIONS.map((r) => `${r}.recall.ai`), RECALL_LEGACY_HOST])

export interface ApiLocation {
  region?: string | undefined
  base_url?: string | undefined
  allow_custom_base_url?: boolean | undefined
}

export type BaseUrlKind = 'recall' | 'loopback' | 'custom'

export type BaseUrlResolution =
  /** `base_url: sandbox`: the caller starts the embedded sandbox and uses its loopback URL. */
  | {ok: true; kind: 'sandbox'}
  /** `url` has no trailing slash: `https://us-east-1.recall.ai`, `http://127.0.0.1:8080`. */
  | {ok: true; kind: BaseUrlKind; url: string}
  | {ok: false; message: string}

const regionList = RECALL_REGIONS.join(', ')
const WHAT_TO_WRITE =
  'write api.region (one of ' + regionList + '), or api.base_url: sandbox, or a loopback base_url such as http://127.0.0.1:8080'

/** `localhost`, `127.0.0.0/8` or `[::1]`, as WHATWG URL normalizes them (`127.1` becomes `127.0.0.1`). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase()
  if (host === 'localhost' || host === '[::1]' || host === '::1') return true
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host)
  return octets !== null && octets.slice(1).every((o) => Number(o) <= 255)
}

/** A Recall API host over https on the default port. */
export function isRecallHost(url: URL): boolean {
  return url.protocol === 'https:' && url.port === '' && RECALL_HOSTS.has(url.hostname.toLowerCase())
}

function parse(url: string | URL): URL | null {
  if (url instanceof URL) return url
  try {
    return new URL(url)
  } catch {
    return null
  }
}

/**
 * Whether the API key may be sent to `url`: a Recall region host (or the legacy api.recall.ai) over https,
 * a loopback host, or, only with `allowCustom`, another https host. Never a URL carrying userinfo, never
 * plain http off loopback.
 */
export function isKeyAllowedFor(url: string | URL, allowCustom: boolean): boolean {
  const parsed = parse(url)
  if (parsed === null || parsed.username !== '' || parsed.password !== '') return false
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false
  if (isLoopbackHost(parsed.hostname)) return true
  if (isRecallHost(parsed)) return true
  return allowCustom && parsed.protocol === 'https:'
}

function suggestRegion(region: string): string {
  const nearest = closest(region, [...RECALL_REGIONS])
  return distance(region, nearest) <= 3 ? ` Did you mean ${nearest}?` : ''
}

/** Shows a URL the user wrote without any userinfo or query values it might hold. */
function describeUrl(url: URL): string {
  const safe = new URL(url.href)
  if (safe.username !== '') safe.username = 'redacted'
  if (safe.password !== '') safe.password = 'redacted'
  for (const key of [...safe.searchParams.keys()]) safe.searchParams.set(key, 'redacted')
  return safe.href.replaceAll('redacted', '<redacted>')
}

/**
 * The API base URL from the config's `api` section. `sandbox` is returned as such: the caller starts the
 * embedded sandbox. Every refusal says what to write instead.
 */
export function resolveBaseUrl(api: ApiLocation): BaseUrlResolution {
  const {region, base_url: baseUrl} = api
  const allowCustom = api.allow_custom_base_url === true
  if (region !== undefined && baseUrl !== undefined) {
    return {
      ok: false,
      message: `api has both region (${region}) and base_url; keep only one: region for Recall, base_url for the sandbox or another API.`,
    }
  }
  if (region !== undefined) {
    if (!(RECALL_REGIONS as readonly string[]).includes(region)) {
      return {
        ok: false,
        message: `api.region "${region}" is not a Recall region; write one of ${regionList}.${suggestRegion(region)}`,
      }
    }
    return {ok: true, kind: 'recall', url: `https://${region}.recall.ai`}
  }
  if (baseUrl === undefined) {
    return {ok: false, message: `api has neither region nor base_url; ${WHAT_TO_WRITE}.`}
  }
  if (baseUrl === 'sandbox') return {ok: true, kind: 'sandbox'}

  const url = parse(baseUrl)
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    // Not echoed as written: a malformed URL may still hold a secret.
    return {
      ok: false,
      message: `api.base_url is not an http(s) URL; ${WHAT_TO_WRITE}, or https://<region>.recall.ai.`,
    }
  }
  if (url.username !== '' || url.password !== '') {
    return {
      ok: false,
      message: `api.base_url ${describeUrl(url)} holds a user name or password; remove it: the API key is read from the environment variable named in api.api_key_env.`,
    }
  }
  if (url.search !== '' || url.hash !== '') {
    return {
      ok: false,
      message: `api.base_url ${describeUrl(url)} has a query string or fragment; write only scheme, host, port and path.`,
    }
  }
  const normalized = `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`
  if (isLoopbackHost(url.hostname)) return {ok: true, kind: 'loopback', url: normalized}
  if (RECALL_HOSTS.has(url.hostname.toLowerCase())) {
    if (!isRecallHost(url)) {
      return {ok: false, message: `api.base_url ${normalized} must be https on the default port; write https://${url.hostname}.`}
    }
    return {ok: true, kind: 'recall', url: normalized}
  }
  if (url.protocol !== 'https:') {
    return {
      ok: false,
      message: `api.base_url ${normalized} uses plain http off this machine, which would send the API key unencrypted; use https://, or a loopback URL.`,
    }
  }
  if (!allowCustom) {
    const recallLike = /^([a-z0-9-]+)\.recall\.ai$/i.exec(url.hostname)
    const hint =
      recallLike?.[1] === undefined ? '' : ` There is no Recall region "${recallLike[1]}".${suggestRegion(recallLike[1])}`
    return {
      ok: false,
      message:
        `api.base_url ${normalized} is neither a Recall region nor loopback, so recallctl will not send the API key there.${hint} ` +
        `Write api.region for Recall, or set api.allow_custom_base_url: true if you trust this host.`,
    }
  }
  return {ok: true, kind: 'custom', url: normalized}
}
