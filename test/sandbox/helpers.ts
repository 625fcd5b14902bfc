import {randomUUID} from 'node:crypto'
import {request as httpRequest} from 'node:http'
import {afterEach} from 'vitest'
import {startSandbox, type RunningSandbox, type SandboxBotSeed, type SandboxOptions} from '../../src/sandbox/index.js'

const running: RunningSandbox[] = []

/** A sandbox closed after the test. Rate limits are off unless the test asks for them. */
export async function sandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const started = await startSandbox({rateLimits: false, ...options})
  running.push(started)
  return started
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()))
})

export interface Reply<T = any> {
  status: number
  body: T
  headers: Headers
}

export interface CallOptions {
  method?: string
  body?: unknown
  headers?: Record<string, string>
  /** Authorization header value; default `Token <apiKey>`; null sends none. */
  auth?: string | null
  idempotencyKey?: string
}

/** Calls the sandbox's Recall API with the workspace key. */
export async function call<T = any>(s: RunningSandbox, path: string, options: CallOptions = {}): Promise<Reply<T>> {
  const headers: Record<string, string> = {...options.headers}
  const auth = options.auth === undefined ? `Token ${s.apiKey}` : options.auth
  if (auth !== null) headers['authorization'] = auth
  if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey
  let body: string | undefined
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
    headers['content-type'] ??= 'application/json'
  }
  const response = await fetch(`${s.url}${path}`, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
  })
  const text = await response.text()
  return {status: response.status, body: text === '' ? undefined : JSON.parse(text), headers: response.headers}
}

/** Calls a `/_sandbox/` control endpoint with the admin token. */
export async function control<T = any>(
  s: RunningSandbox,
  method: string,
  path: string,
  body?: unknown,
  token: string | null = s.adminToken,
): Promise<Reply<T>> {
  const headers: Record<string, string> = {}
  if (token !== null) headers['authorization'] = `Bearer ${token}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(`${s.url}/_sandbox/${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  return {status: response.status, body: text === '' ? undefined : JSON.parse(text), headers: response.headers}
}

/** A raw HTTP request (fetch cannot send a GET with a body). */
export function rawRequest(
  s: RunningSandbox,
  method: string,
  path: string,
  body: string,
  headers: Record<string, string>,
): Promise<{status: number; body: any}> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${s.url}${path}`,
      {method, headers: {...headers, 'content-length': String(Buffer.byteLength(body))}},
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () => resolve({status: res.statusCode ?? 0, body: text === '' ? undefined : JSON.parse(text)}))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

export function botSeed(status: SandboxBotSeed['status'], extra: Partial<SandboxBotSeed> = {}): SandboxBotSeed {
  return {id: randomUUID(), status, ...extra}
}

export const startPath = (id: string) => `/api/v1/bot/${id}/start_recording/`
export const botPath = (id: string) => `/api/v1/bot/${id}/`

/** The bot's current status: the last status change. */
export const statusOf = (bot: {status_changes: Array<{code: string}>}) => bot.status_changes.at(-1)?.code

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
