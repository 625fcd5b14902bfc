import {randomBytes} from 'node:crypto'
import {mkdir, open, readFile, rename, rm} from 'node:fs/promises'
import path from 'node:path'
import {osReason} from '../shared/os-error.js'
import {sandboxStateSnapshotSchema, type SandboxStateSnapshot} from './snapshot.js'

/** A state file that exists but cannot be used. It is never overwritten: the user decides. */
export class SandboxStateFileError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(
      `${file} is not a sandbox state this version of recallctl can read (${reason}). It was left untouched: move it away, or run "recallctl sandbox --reset" to start over.`,
    )
    this.name = 'SandboxStateFileError'
  }
}

/** Reads a state file; undefined when there is none. */
export async function readStateFile(file: string): Promise<SandboxStateSnapshot | undefined> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    // The reason in words (a folder, no permission...), not Node's "EISDIR: illegal operation...".
    throw new SandboxStateFileError(file, osReason((error as NodeJS.ErrnoException).code)?.reason ?? (error as Error).message)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new SandboxStateFileError(file, `not JSON: ${(error as Error).message}`)
  }
  const parsed = sandboxStateSnapshotSchema.safeParse(json)
  if (!parsed.success) {
    const first = parsed.error.issues[0]!
    throw new SandboxStateFileError(file, `${first.path.join('.') || '(file)'}: ${first.message}`)
  }
  return parsed.data as SandboxStateSnapshot
}

/**
 * Writes a state file atomically: a temporary file in the same directory, flushed to disk, then
 * renamed over the old one. A crash at any moment leaves either the old file or the new one.
 */
export async function writeStateFile(file: string, snapshot: SandboxStateSnapshot | string): Promise<void> {
  const dir = path.dirname(file)
  await mkdir(dir, {recursive: true})
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  const handle = await open(temp, 'w', 0o600)
  try {
    await handle.writeFile(typeof snapshot === 'string' ? snapshot : serializeState(snapshot), 'utf8')
    await handle.sync()
  } finally {
    await handle.close()
  }
  try {
    await rename(temp, file)
  } catch (error) {
    await rm(temp, {force: true})
    throw error
  }
}

/** The text of a state file: indented, since people read it to see what the sandbox holds. */
export function serializeState(snapshot: SandboxStateSnapshot): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`
}

/** Deletes a state file; returns whether there was one. */
export async function deleteStateFile(file: string): Promise<boolean> {
  try {
    await rm(file)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw error
  }
}

/**
 * Saves whenever asked, one write at a time and at most one every `minIntervalMs`: a request to save
 * during a write schedules exactly one more write, of the state as it is then. `take` serializes the
 * state synchronously, so each file is a consistent picture. `flush()` resolves when everything asked
 * for is on disk.
 */
export class StateSaver {
  private writing: Promise<void> | undefined
  private again = false
  private lastError: unknown

  constructor(
    private readonly file: string,
    private readonly take: () => string,
    private readonly minIntervalMs = 50,
  ) {}

  request(): void {
    if (this.writing !== undefined) {
      this.again = true
      return
    }
    this.writing = this.loop()
  }

  private async loop(): Promise<void> {
    do {
      this.again = false
      try {
        await writeStateFile(this.file, this.take())
        this.lastError = undefined
      } catch (error) {
        this.lastError = error
      }
      if (this.again) await new Promise((resolve) => setTimeout(resolve, this.minIntervalMs))
    } while (this.again)
    this.writing = undefined
  }

  /** Waits for pending writes, then writes once more; throws if that final write fails. */
  async flush(): Promise<void> {
    while (this.writing !== undefined) await this.writing
    await writeStateFile(this.file, this.take())
  }

  /** The error of the last background write, if it failed (flush() reports its own). */
  get error(): unknown {
    return this.lastError
  }
}
