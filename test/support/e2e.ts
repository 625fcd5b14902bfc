import type {ChildProcess} from 'node:child_process'
import {randomUUID} from 'node:crypto'
import {afterEach} from 'vitest'
import {
  startSandbox,
  type RequestLogEntry,
  type RunningSandbox,
  type SandboxBotSeed,
  type SandboxOptions,
} from '../../src/sandbox/index.js'
import {killChildren, runCliIn, type CliResult} from './cli.js'
import {testProject, type ProjectOptions, type TestProject} from './project.js'

export {BIN, REPO_ROOT, cliEnv, parseJson, runCliIn, startCli, startProcess, type CliResult, type RunningProcess} from './cli.js'
export {
  KEY_ENV,
  defaultRecordings,
  emptyProject,
  projectConfig,
  testProject,
  type ProjectOptions,
  type TestProject,
} from './project.js'

/**
 * End-to-end helpers: a sandbox on 127.0.0.1 started in the test process, a temporary project whose
 * config points at it (the one builder, ./project.ts), and the built CLI spawned with NODE_ENV=production
 * (the one harness, ./cli.ts). Everything is cleaned up after each test.
 */

const sandboxes: RunningSandbox[] = []

afterEach(async () => {
  killChildren()
  await Promise.all(sandboxes.splice(0).map((s) => s.close()))
})

/** A sandbox on loopback with its own random API key, closed after the test. */
export async function testSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const started = await startSandbox({host: '127.0.0.1', apiKey: `e2e-key-${randomUUID()}`, ...options})
  sandboxes.push(started)
  return started
}

/** `count` bots in the call and not recording (no recordings at all). */
export function botsInCall(count: number): SandboxBotSeed[] {
  return Array.from({length: count}, () => ({id: randomUUID(), status: 'in_call_not_recording' as const, recordings: []}))
}

/** A sandbox holding `count` bots in the call, and a project assigning them all to profile `e2e`. */
export async function seededProject(
  count: number,
  options: ProjectOptions = {},
): Promise<{sandbox: RunningSandbox; seeds: SandboxBotSeed[]; ids: string[]; project: TestProject}> {
  const sandbox = await testSandbox()
  const seeds = botsInCall(count)
  sandbox.seed(seeds)
  const ids = seeds.map((s) => s.id)
  return {sandbox, seeds, ids, project: testProject(sandbox, ids, options)}
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv
  /** Written to stdin, which is then closed (default: stdin closed, no TTY). */
  input?: string
  timeoutMs?: number
  /** Called once the child is running (e.g. to kill it). */
  onSpawn?: (child: ChildProcess) => void
}

/** Runs the built CLI in the project directory, with the project's environment plus `options.env`. */
export function runCli(
  project: Pick<TestProject, 'dir' | 'env'>,
  args: readonly string[],
  options: RunOptions = {},
): Promise<CliResult> {
  const {env, ...rest} = options
  return runCliIn(args, {...rest, cwd: project.dir, env: {...project.env, ...env}})
}

/** Recordings of a bot as the sandbox has them now. */
export function recordingsOf(
  sandbox: RunningSandbox,
  botId: string,
): Array<{id: string; status: {code: string}; metadata: Record<string, string>}> {
  const bot = sandbox.bot(botId)
  if (!bot) throw new Error(`no bot ${botId} in the sandbox`)
  return bot.recordings as unknown as Array<{id: string; status: {code: string}; metadata: Record<string, string>}>
}

/** Recordings recallctl started (they carry its digest stamp). */
export function stampedRecordingsOf(sandbox: RunningSandbox, botId: string) {
  return recordingsOf(sandbox, botId).filter((r) => typeof r.metadata?.['recallctl_digest'] === 'string')
}

const START_PATH = /^\/api\/v1\/bot\/([^/]+)\/start_recording\/$/
const RETRIEVE_PATH = /^\/api\/v1\/bot\/([^/]+)\/$/

export const isStartRecording = (entry: RequestLogEntry) => entry.method === 'POST' && START_PATH.test(entry.path.split('?')[0]!)
export const isRetrieveBot = (entry: RequestLogEntry) => entry.method === 'GET' && RETRIEVE_PATH.test(entry.path.split('?')[0]!)
export const botOfStart = (entry: RequestLogEntry) => START_PATH.exec(entry.path.split('?')[0]!)?.[1]?.toLowerCase()

/** The most requests that fell in any window of `windowMs` (half-open (t - windowMs, t], as the sandbox counts). */
export function busiestWindow(entries: readonly RequestLogEntry[], windowMs: number): number {
  const times = entries.map((e) => Date.parse(e.time)).sort((a, b) => a - b)
  let most = 0
  let start = 0
  for (let end = 0; end < times.length; end++) {
    while (times[start]! <= times[end]! - windowMs) start++
    most = Math.max(most, end - start + 1)
  }
  return most
}

/** NDJSON lines of a stdout, each parsed (throws on a line that is not JSON). */
export function ndjson(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

/** Resolves once `check` holds (polled), or rejects after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 20_000, everyMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time')
    await new Promise((r) => setTimeout(r, everyMs))
  }
}
