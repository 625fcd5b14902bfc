import {createServer, type IncomingHttpHeaders, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

/** A request as the fixture server saw it. `at` is when its body had arrived (performance.now()). */
export interface SeenRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
  at: number
}

export type FixtureHandler = (request: SeenRequest, response: ServerResponse, index: number) => void | Promise<void>

export interface Fixture {
  url: string
  port: number
  requests: SeenRequest[]
  close(): Promise<void>
}

/** A node:http server on 127.0.0.1, random port, recording every request it receives. */
export async function startFixture(handler: FixtureHandler): Promise<Fixture> {
  const requests: SeenRequest[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const seen: SeenRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: performance.now(),
      }
      const index = requests.push(seen) - 1
      void Promise.resolve(handler(seen, res, index)).catch((error: unknown) => {
        res.statusCode = 500
        res.end(String(error))
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, {'content-type': 'application/json', ...headers})
  response.end(JSON.stringify(body))
}

export const bot = (id: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id,
  status_changes: [{code: 'in_call_not_recording', sub_code: null, message: null, created_at: '2026-01-01T00:00:00Z'}],
  recordings: [],
  ...extra,
})

/** Fast retry settings so tests wait milliseconds, not seconds. */
export const FAST_RETRY = {
  backoffBaseMs: 5,
  backoffCapMs: 20,
  rateLimitJitterMs: {min: 5, max: 10},
}

export const API_KEY = 'sk_test_0123456789abcdef_SECRET'
