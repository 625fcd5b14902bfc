import {openPersistentSandbox} from './embedded.js'
import type {SandboxOptions} from './core.js'
import {startSandbox, type RunningSandbox} from './server.js'

export interface StandaloneOptions extends Omit<SandboxOptions, 'state' | 'bots'> {
  /** Keep the world in this file (read at start, saved on every change and at exit). In memory when absent. */
  stateFile?: string
}

export interface StandaloneInfo {
  url: string
  api_key: string
  admin_token: string
  state_file: string | null
}

/**
 * Runs a sandbox until `stop` aborts, then closes it (saving the state file, if any). `ready` is
 * called once it listens.
 */
export async function runStandalone(
  options: StandaloneOptions,
  ready: (info: StandaloneInfo, sandbox: RunningSandbox) => void,
  stop: AbortSignal,
): Promise<void> {
  const {stateFile, ...rest} = options
  const sandbox =
    stateFile === undefined ? await startSandbox(rest) : await openPersistentSandbox({...rest, stateFile, seeds: []})
  ready({url: sandbox.url, api_key: sandbox.apiKey, admin_token: sandbox.adminToken, state_file: stateFile ?? null}, sandbox)
  if (!stop.aborted) await new Promise<void>((resolve) => stop.addEventListener('abort', () => resolve(), {once: true}))
  await sandbox.close()
}
