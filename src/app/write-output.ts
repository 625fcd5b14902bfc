import {randomBytes} from 'node:crypto'
import {open, rename, rm, stat} from 'node:fs/promises'
import path from 'node:path'
import {describeOsError} from '../shared/os-error.js'
import {UserError} from '../shared/user-error.js'

/**
 * Writes a file the user asked for (`plan --out`, `schema --out`) so that a failure never leaves half
 * a file: a temporary file in the same folder, flushed, then renamed over the target. A device or a
 * pipe (`/dev/stdout`) is written in place, as renaming over it would replace it. Every OS error is a
 * UserError of one sentence naming the file: `what` says what was being written ("the plan").
 */
export async function writeOutputFile(file: string, text: string, what: string, shown: string = file): Promise<void> {
  const existing = await stat(file).catch(() => undefined)
  if (existing?.isDirectory())
    throw new UserError(
      `cannot write ${what} to ${shown}: it is a folder, not a file. Give a file name, e.g. ${path.join(shown, 'plan.json')}.`,
    )
  try {
    if (existing && !existing.isFile()) {
      const handle = await open(file, 'w')
      try {
        await handle.writeFile(text, 'utf8')
      } finally {
        await handle.close()
      }
      return
    }
    await writeAtomically(file, text)
  } catch (error) {
    const message = describeOsError(error, `cannot write ${what} to`, shown)
    if (message) throw new UserError(message)
    throw error
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  const handle = await open(temp, 'wx', 0o666)
  try {
    try {
      await handle.writeFile(text, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, file)
  } catch (error) {
    await rm(temp, {force: true})
    throw error
  }
}

/**
 * Checks, before any work, that `file` can be an output file: its folder exists and it is not a folder
 * itself. Planning reads every bot from Recall; a typo in `--out` should fail before that, not after.
 */
export async function checkOutputFile(file: string, what: string, shown: string = file): Promise<void> {
  const existing = await stat(file).catch(() => undefined)
  if (existing?.isDirectory())
    throw new UserError(
      `cannot write ${what} to ${shown}: it is a folder, not a file. Give a file name, e.g. ${path.join(shown, 'plan.json')}.`,
    )
  if (existing) return
  const folder = path.dirname(file)
  try {
    const parent = await stat(folder)
    if (!parent.isDirectory()) throw Object.assign(new Error('not a folder'), {code: 'ENOTDIR'})
  } catch (error) {
    const message = describeOsError(error, `cannot write ${what} to`, shown)
    if (message) throw new UserError(message)
    throw error
  }
}
