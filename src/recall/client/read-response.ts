/**
 * The most of one answer from Recall that recallctl reads: 20 MB. A page of List Bots (50 bots) or one
 * bot is well under 1 MB; anything near this is not a Recall answer (a proxy's download, a hostile or
 * broken server), and reading it whole would hold it all in memory. Past it the read stops and the call
 * fails, without a retry (the same URL would answer the same).
 */
export const MAX_RESPONSE_BYTES = 20 * 1024 * 1024

/** The network-failure code an attempt ends with when the answer is over the cap. */
export const RESPONSE_TOO_LARGE = 'RESPONSE_TOO_LARGE'

export class ResponseTooLarge extends Error {
  readonly code = RESPONSE_TOO_LARGE
  constructor(readonly maxBytes: number) {
    super(`the answer is larger than ${maxBytes} bytes`)
  }
}

/** A response body as undici gives it: chunks, and a way to stop reading. */
export interface ResponseBody extends AsyncIterable<Uint8Array | string> {
  destroy(error?: Error): unknown
}

export interface ReadOptions {
  /** The `content-length` header, when the server sent one: an answer declared too large is not read at all. */
  declaredLength?: string | string[] | undefined
  maxBytes?: number
  /** Called after each chunk: the caller's idle deadline between chunks starts again. */
  onChunk?: () => void
}

/** The body as UTF-8 text, read up to `maxBytes`; past that the stream is destroyed and ResponseTooLarge thrown. */
export async function readCappedText(body: ResponseBody, options: ReadOptions = {}): Promise<string> {
  const maxBytes = options.maxBytes ?? MAX_RESPONSE_BYTES
  const declared = Number(Array.isArray(options.declaredLength) ? options.declaredLength[0] : options.declaredLength)
  if (Number.isFinite(declared) && declared > maxBytes) {
    body.destroy()
    throw new ResponseTooLarge(maxBytes)
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    size += bytes.length
    if (size > maxBytes) {
      body.destroy()
      throw new ResponseTooLarge(maxBytes)
    }
    chunks.push(bytes)
    options.onChunk?.()
  }
  return Buffer.concat(chunks).toString('utf8')
}
