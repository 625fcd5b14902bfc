import type {IncomingMessage} from 'node:http'

export class BodyTooLarge extends Error {}

/**
 * Reads a whole request body, refusing more than `maxBytes` (declared or streamed) so a client cannot
 * make a server buffer without bound. Bytes, not text: a signature is computed over the raw body.
 */
export async function readBodyBytes(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0)
  if (declared > maxBytes) throw new BodyTooLarge()
  if (declared === 0 && request.headers['transfer-encoding'] === undefined) {
    // Drain anything unexpected so the connection stays usable; most GETs end here at once.
    request.resume()
    return Buffer.alloc(0)
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size > maxBytes) throw new BodyTooLarge()
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}
