import type {SandboxOptions} from './core.js'
import {readStateFile, serializeState, StateSaver} from './persistence.js'
import type {SandboxBotSeed} from './seed.js'
import {startSandbox, type RunningSandbox} from './server.js'

export interface PersistentSandboxOptions extends Omit<SandboxOptions, 'state' | 'bots'> {
  /** The state file, e.g. `<project>/.recallctl/sandbox.json`. */
  stateFile: string
  /** Bots to start with when there is no state file yet. */
  seeds: readonly SandboxBotSeed[]
}

export type EmbeddedSandboxOptions = Omit<PersistentSandboxOptions, 'port' | 'host'>

/**
 * A sandbox whose world lives in a file: read at start (or seeded from `seeds` when the file does not
 * exist), saved after every change and on close, each time atomically. The idempotency entries are
 * saved too, so a re-run within the hour replays. A state file that cannot be read is an error and is
 * left untouched.
 */
export async function openPersistentSandbox(options: PersistentSandboxOptions): Promise<RunningSandbox> {
  const {stateFile, seeds, ...rest} = options
  const state = await readStateFile(stateFile)
  const sandbox = await startSandbox({...rest, ...(state === undefined ? {bots: seeds} : {state})})
  const saver = new StateSaver(stateFile, () => serializeState(sandbox.core.snapshot(false)))
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

/**
 * The sandbox behind `api.base_url: sandbox`: in-process on a random loopback port, with its world in
 * `stateFile` (seeded from `sandbox.bots` of recall.config.yaml on first use). Clients use
 * SANDBOX_API_KEY (also `sandbox.apiKey`); close() saves the state.
 */
export function openEmbeddedSandbox(options: EmbeddedSandboxOptions): Promise<RunningSandbox> {
  return openPersistentSandbox({...options, port: 0, host: '127.0.0.1'})
}
