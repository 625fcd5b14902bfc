import type {IncomingMessage, ServerResponse} from 'node:http'
import {readBodyBytes} from '../http/read-body.js'

/** The largest request body the sandbox reads: 1 MB (README, "Limits"); past it, 413. */
export const MAX_BODY_BYTES = 1024 * 1024

export {BodyTooLarge} from '../http/read-body.js'

/** Reads the whole request body as UTF-8 text, refusing more than MAX_BODY_BYTES. */
export async function readBody(request: IncomingMessage): Promise<string> {
  return (await readBodyBytes(request, MAX_BODY_BYTES)).toString('utf8')
}

export function sendText(response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  })
  response.end(text)
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendText(response, status, JSON.stringify(body), headers)
}

/** Splits `/path?query` without the cost of a full URL parse. */
export function splitTarget(target: string): {pathname: string; search: string} {
  const mark = target.indexOf('?')
  return mark === -1 ? {pathname: target, search: ''} : {pathname: target.slice(0, mark), search: target.slice(mark + 1)}
}

/** A percent-encoded path segment, or undefined when its encoding is broken (`%E0%A4%A`). */
export function decodePathSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}
