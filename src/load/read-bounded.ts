import {constants} from 'node:fs'
import {open} from 'node:fs/promises'
import {formatCount, MAX_FILE_BYTES} from '../shared/limits.js'
import type {DiagnosticCode} from '../shared/diagnostic-codes.js'
import {describeOsError} from '../shared/os-error.js'

/** The text, or why it was not read (`errno`: the OS error's code, when there was one). */
export type BoundedRead = {text: string} | {code: DiagnosticCode; message: string; errno?: string}

const decoder = new TextDecoder('utf-8', {fatal: true})

/**
 * Reads a text file of at most `MAX_FILE_BYTES`, safely whatever is at `realPath`: opened non-blocking
 * (a FIFO never hangs), checked with fstat to be a regular file and small enough before a byte is read,
 * then read up to the cap plus one byte (a file growing meanwhile is still refused). `file` is the name
 * shown in messages. Never throws for what a user can cause.
 */
export async function readBoundedFile(realPath: string, file: string): Promise<BoundedRead> {
  let handle
  try {
    handle = await open(realPath, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (error) {
    return unreadable(error, file)
  }
  try {
    const stats = await handle.stat()
    if (!stats.isFile()) {
      const what = stats.isDirectory() ? 'a folder' : 'not a regular file (a pipe, socket or device)'
      return {
        code: 'not_regular_file',
        message: `${file} is ${what}: only regular .yaml/.yml files are read. Replace it with a file, or narrow the glob.`,
      }
    }
    if (stats.size > MAX_FILE_BYTES) return tooLarge(file, stats.size)
    const buffer = Buffer.allocUnsafe(Math.min(stats.size, MAX_FILE_BYTES) + 1)
    let length = 0
    while (length < buffer.length) {
      const {bytesRead} = await handle.read(buffer, length, buffer.length - length, null)
      if (bytesRead === 0) break
      length += bytesRead
    }
    if (length > MAX_FILE_BYTES) return tooLarge(file, 'grew')
    try {
      return {text: decoder.decode(buffer.subarray(0, length))}
    } catch {
      return {
        code: 'not_text',
        message: `${file} is not UTF-8 text: recordings and config files are YAML text. Save it as UTF-8, or remove it.`,
      }
    }
  } catch (error) {
    return unreadable(error, file)
  } finally {
    await handle.close()
  }
}

function tooLarge(file: string, size: number | 'grew'): BoundedRead {
  const found = size === 'grew' ? `more than ${formatCount(MAX_FILE_BYTES)} bytes` : `${formatCount(size)} bytes`
  return {
    code: 'file_too_large',
    message: `${file} is ${found}, over the limit of ${formatCount(MAX_FILE_BYTES)} bytes (5 MiB) for one file. Split it into several files.`,
  }
}

function unreadable(error: unknown, file: string): BoundedRead {
  const errno = (error as NodeJS.ErrnoException).code
  return {
    code: 'file_unreadable',
    message: describeOsError(error, 'cannot read', file) ?? `cannot read ${file} (${errno ?? 'unknown error'}).`,
    ...(errno ? {errno} : {}),
  }
}
