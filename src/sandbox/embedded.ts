import type {SandboxOptions} from './core.js'
import {readStateFile, StateSaver} from './persistence.js'
import type {SandboxBotSeed} from './seed.js'
import {startSandbox, type RunningSandbox} from './server.js'

export interface EmbeddedSandboxOptions extends Omit<SandboxOptions, 'state' | 'bots' | 'port'> {
  /** The state file, usually `<project>/.recallctl/sandbox.json`. */
  stateFile: string
  /** Bots to start with when there is no state file yet (`sandbox.bots` in recall.config.yaml). */
  seeds: readonly SandboxBotSeed[]
}

/**
 * The sandbox behind `api.base_url: sandbox`: in-process on a random loopback port, its world read from
 * `stateFile` (or seeded from `seeds` on first use), saved after every change and on close, each time
 * atomically. The idempotency entries are saved too, so a re-run within the hour replays. A state file
 * that cannot be read is an error and is left untouched.
 */
export async function openEmbeddedSandbox(options: EmbeddedSandboxOptions): Promise<RunningSandbox> {
  const {stateFile, seeds, ...rest} = options
  const state = await readStateFile(stateFile)
  const sandbox = await startSandbox({...rest, port: 0, host: '127.0.0.1', ...(state === undefined ? {bots: seeds} : {state})})
  const saver = new StateSaver(stateFile, () => sandbox.core.snapshot())
  sandbox.core.onChange(() => saver.request())
  if (state === undefined) saver.request()
  const closeServer = sandbox.close
  let closed: Promise<void> | undefined
  sandbox.close = () => {
    closed ??= closeServer().then(() => saver.flush())
    return closed
  }
  return sandbox
}
