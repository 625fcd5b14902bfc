import path from 'node:path'
import type {ProjectConfig} from '../config/project-config-schema.js'
import {MissingApiKeyError, readApiKey} from '../recall/client/api-key.js'
import {resolveBaseUrl} from '../recall/base-url.js'
import {describeOsError} from '../shared/os-error.js'
import type {RecallClient, RecallClientOptions} from '../recall/client/client.js'
import type {RecallClientEventListener} from '../recall/client/events.js'
import {UserError} from '../shared/user-error.js'

/** Where the embedded sandbox keeps its world between runs (git-ignored). */
export const SANDBOX_STATE_FILE = '.recallctl/sandbox.json'

/**
 * For tests and benchmarks only: the rate window in ms (Recall's is 60 000), so a sandbox with a
 * scaled window can be driven at its limits in seconds. Not a documented user setting.
 */
export const RATE_WINDOW_ENV = 'RECALLCTL_RATE_WINDOW_MS'

function rateWindowFrom(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env[RATE_WINDOW_ENV]
  if (raw === undefined || raw === '') return undefined
  if (!/^[1-9][0-9]*$/.test(raw.trim()))
    throw new UserError(
      `${RATE_WINDOW_ENV} must be a positive whole number of milliseconds, not "${raw}". Unset it to use Recall's 60 s window.`,
    )
  return Number(raw.trim())
}

export interface Connection {
  client: RecallClient
  /** Shown in plans: the Recall URL, or `sandbox` for the embedded one. */
  baseUrl: string
  /** The API key, for the output scrubber. */
  apiKey: string
  /** Closes the client, then saves the embedded sandbox's state. */
  close(): Promise<void>
  /** Adds a listener of the client's events (progress displays); returns the function that removes it. */
  subscribe(listener: RecallClientEventListener): () => void
}

/**
 * Opens the Recall client the config asks for: a region, a loopback or allowed custom URL with the key
 * from the environment, or the embedded sandbox (started in-process on loopback, state in
 * `.recallctl/sandbox.json`). The client and sandbox modules are loaded only here, so commands that
 * never talk to Recall do not pay for them.
 */
export async function connect(
  config: ProjectConfig,
  root: string,
  options: Omit<RecallClientOptions, 'baseUrl' | 'apiKey'> = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<Connection> {
  const resolution = resolveBaseUrl(config.api)
  if (!resolution.ok) throw new UserError(resolution.message)
  const {createRecallClient} = await import('../recall/client/client.js')
  const rateWindowMs = rateWindowFrom(env)
  const listeners = new Set<RecallClientEventListener>()
  if (options.onEvent) listeners.add(options.onEvent)
  const subscribe = (listener: RecallClientEventListener) => {
    listeners.add(listener)
    return () => void listeners.delete(listener)
  }
  const clientOptions = {
    rateLimits: config.rate_limits,
    ...(rateWindowMs === undefined ? {} : {rateWindowMs}),
    concurrency: config.apply.concurrency,
    allowCustomBaseUrl: config.api.allow_custom_base_url,
    apiKeyEnv: config.api.api_key_env,
    userAgent: 'recallctl',
    ...options,
    onEvent: (event: Parameters<RecallClientEventListener>[0]) => {
      for (const listener of listeners) listener(event)
    },
  }
  if (resolution.kind === 'sandbox') {
    const {openEmbeddedSandbox, SandboxStateFileError, SeedError} = await import('../sandbox/index.js')
    let sandbox: Awaited<ReturnType<typeof openEmbeddedSandbox>>
    const stateFile = path.join(root, SANDBOX_STATE_FILE)
    try {
      sandbox = await openEmbeddedSandbox({stateFile, seeds: config.sandbox?.bots ?? []})
    } catch (error) {
      if (error instanceof SandboxStateFileError || error instanceof SeedError) throw new UserError(error.message)
      throw stateFileError(error, "cannot use the embedded sandbox's state file", stateFile)
    }
    const client = createRecallClient({...clientOptions, baseUrl: sandbox.url, apiKey: sandbox.apiKey})
    return {
      client,
      subscribe,
      baseUrl: 'sandbox',
      apiKey: sandbox.apiKey,
      close: async () => {
        await client.close()
        await sandbox
          .close()
          .catch((error: unknown) =>
            Promise.reject(stateFileError(error, "cannot save the embedded sandbox's state to", stateFile)),
          )
      },
    }
  }
  let apiKey: string
  try {
    apiKey = readApiKey(config.api.api_key_env, env)
  } catch (error) {
    if (error instanceof MissingApiKeyError) throw new UserError(error.message)
    throw error
  }
  const client = createRecallClient({...clientOptions, baseUrl: resolution.url, apiKey})
  return {client, subscribe, baseUrl: resolution.url, apiKey, close: () => client.close()}
}

/** A disk problem with the sandbox's state file (full, read-only, no permission) as one sentence naming it. */
function stateFileError(error: unknown, what: string, stateFile: string): unknown {
  const message = describeOsError(error, what, stateFile)
  return message ? new UserError(message) : error
}
