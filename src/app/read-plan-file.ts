import {constants} from 'node:fs'
import {open} from 'node:fs/promises'
import type {Plan} from '../plan/types.js'
import {parsePlanJson} from '../plan/parse-plan-json.js'
import {UserError} from '../shared/user-error.js'

/** A plan of 10,000 bots is a few MB; anything far larger is not a plan recallctl wrote. */
export const MAX_PLAN_FILE_BYTES = 64 * 1024 * 1024

const REASONS: Record<string, string> = {
  ENOENT: 'there is no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
}

/**
 * Reads and parses a plan saved by `plan --out` (for apply and show). Only a regular file of a bounded size
 * is read (a FIFO or a device would hang or never end); every problem is one sentence naming the file.
 */
export async function readPlanFile(file: string): Promise<Plan> {
  let text: string
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; the stat below then refuses it.
    const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK)
    try {
      const stat = await handle.stat()
      if (!stat.isFile())
        throw new UserError(
          `cannot read the plan file ${file}: it is not a regular file. Pass the file written by \`recallctl plan --out FILE\`.`,
        )
      if (stat.size > MAX_PLAN_FILE_BYTES)
        throw new UserError(
          `cannot read the plan file ${file}: it is ${Math.ceil(stat.size / 1024 / 1024)} MB, over the ${MAX_PLAN_FILE_BYTES / 1024 / 1024} MB a plan file may be. Pass the file written by \`recallctl plan --out FILE\`.`,
        )
      text = await handle.readFile('utf8')
    } finally {
      await handle.close()
    }
  } catch (error) {
    if (error instanceof UserError) throw error
    const code = (error as NodeJS.ErrnoException).code ?? ''
    throw new UserError(
      `cannot read the plan file ${file}: ${REASONS[code] ?? `the system refused (${code || 'unknown error'})`}. Check the path.`,
    )
  }
  const parsed = parsePlanJson(text)
  if ('error' in parsed) throw new UserError(`${file}: ${parsed.error}`)
  return parsed.plan
}
