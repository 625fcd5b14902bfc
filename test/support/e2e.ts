import {spawn, type ChildProcess} from 'node:child_process'
import {randomUUID} from 'node:crypto'
import {mkdtempSync, rmSync, writeFileSync, mkdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterEach} from 'vitest'
import {startSandbox, type RequestLogEntry, type RunningSandbox, type SandboxBotSeed, type SandboxOptions} from '../../src/sandbox/index.js'

/**
 * End-to-end helpers: a sandbox on 127.0.0.1 started in the test process, a temporary project whose
 * config points at it, and the built CLI spawned with NODE_ENV=production. Everything is cleaned up
 * after each test.
 */

const REPO = fileURLToPath(new URL('../..', import.meta.url))
/** RECALLCTL_E2E_BIN runs another build (one made away from a shared tree, or a deliberately broken copy). */
const BIN = process.env['RECALLCTL_E2E_BIN'] ?? path.join(REPO, 'bin', 'run.js')

/** The variable the temp project's config names for the key. */
export const KEY_ENV = 'E2E_RECALL_API_KEY'

const sandboxes: RunningSandbox[] = []
const dirs: string[] = []
const children = new Set<ChildProcess>()

afterEach(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  children.clear()
  await Promise.all(sandboxes.splice(0).map((s) => s.close()))
  for (const dir of dirs.splice(0)) rmSync(dir, {recursive: true, force: true})
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
export async function seededProject(count: number, options: ProjectOptions = {}): Promise<{sandbox: RunningSandbox; seeds: SandboxBotSeed[]; ids: string[]; project: TestProject}> {
  const sandbox = await testSandbox()
  const seeds = botsInCall(count)
  sandbox.seed(seeds)
  const ids = seeds.map((s) => s.id)
  return {sandbox, seeds, ids, project: testProject(sandbox, ids, options)}
}

export interface ProjectOptions {
  /** Lines under `rate_limits:` (requests per window). */
  rateLimits?: {start_recording?: number; retrieve_bot?: number; list_bots?: number}
  concurrency?: number
  allowRestart?: boolean
  /** The recordings file `recordings/e2e.yaml`; default: profile `e2e` assigned to `bots`. */
  recordings?: string
}

export interface TestProject {
  dir: string
  /** Rewrites a file of the project (relative path). */
  write(file: string, text: string): void
  /** Environment of every CLI run: the key, production mode, no CI/colour surprises. */
  env: NodeJS.ProcessEnv
}

/** The default profile: a small explicit body whose digest the tests do not care about. */
export function defaultRecordings(bots: readonly string[], hours = 24): string {
  return [
    'profiles:',
    '  e2e:',
    `    retention: { type: timed, hours: ${hours} }`,
    '    metadata: { team: e2e }',
    'assignments:',
    '  - profile: e2e',
    '    bots:',
    ...bots.map((id) => `      - ${id}`),
    '',
  ].join('\n')
}

/** A temporary project pointing `api.base_url` at the sandbox, the key in KEY_ENV. */
export function testProject(sandbox: RunningSandbox, bots: readonly string[], options: ProjectOptions = {}): TestProject {
  const dir = mkdtempSync(path.join(tmpdir(), 'recallctl-apply-'))
  dirs.push(dir)
  const limits = options.rateLimits ?? {}
  const config = [
    'version: 1',
    'api:',
    `  base_url: "${sandbox.url}"`,
    `  api_key_env: ${KEY_ENV}`,
    'recordings: ["recordings/**/*.yaml"]',
    'rate_limits:',
    `  start_recording: ${limits.start_recording ?? 300}`,
    `  retrieve_bot: ${limits.retrieve_bot ?? 300}`,
    `  list_bots: ${limits.list_bots ?? 60}`,
    'apply:',
    `  concurrency: ${options.concurrency ?? 8}`,
    `  allow_restart: ${options.allowRestart ?? false}`,
    '',
  ].join('\n')
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, file)), {recursive: true})
    writeFileSync(path.join(dir, file), text)
  }
  write('recall.config.yaml', config)
  write('recordings/e2e.yaml', options.recordings ?? defaultRecordings(bots))
  // Only what the run needs, never the test runner's environment: no stray RECALLCTL_* flag, no CI or
  // GitHub Actions variables changing the output.
  const env: NodeJS.ProcessEnv = {PATH: process.env['PATH'] ?? '', HOME: dir, NODE_ENV: 'production', NO_COLOR: '1', [KEY_ENV]: sandbox.apiKey}
  return {dir, write, env}
}

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv
  /** Called once the child is running (e.g. to kill it). */
  onSpawn?: (child: ChildProcess) => void
}

/**
 * Runs the built CLI in the project directory, asynchronously: the sandbox answers from this same
 * process, so a synchronous spawn would deadlock. stdin is closed (no TTY).
 */
export function runCli(project: TestProject, args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {cwd: project.dir, env: {...project.env, ...options.env}, stdio: ['ignore', 'pipe', 'pipe']})
    children.add(child)
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      children.delete(child)
      resolve({code, signal, stdout, stderr})
    })
    options.onSpawn?.(child)
  })
}

/** Recordings of a bot as the sandbox has them now. */
export function recordingsOf(sandbox: RunningSandbox, botId: string): Array<{id: string; status: {code: string}; metadata: Record<string, string>}> {
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
