import {spawn, type ChildProcess} from 'node:child_process'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterEach} from 'vitest'

/**
 * The one CLI harness of the end-to-end tests: the built CLI (bin/run.js → dist/) spawned asynchronously
 * (a sandbox in the test process must keep answering), with the environment given and nothing of the
 * test runner's, stdin closed unless the test feeds it, a timeout, and every child still running killed
 * when its test ends. Suites that need a domain helper (watch's log reader, a CI step runner) build it on
 * `startProcess`/`startCli`, never on `spawn`.
 */

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))
/** RECALLCTL_E2E_BIN runs another build (one made away from a shared tree, or a deliberately broken copy). */
export const BIN = process.env['RECALLCTL_E2E_BIN'] ?? path.join(REPO_ROOT, 'bin', 'run.js')

/** A child still running this long is killed (SIGKILL): a hung CLI fails its test instead of the run. */
export const DEFAULT_TIMEOUT_MS = 55_000

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface ProcessOptions {
  cwd: string
  /** The whole environment of the child (see `cliEnv`): nothing leaks in from the test process. */
  env: NodeJS.ProcessEnv
  /** Written to stdin, which is then closed. Without it stdin is closed from the start, unless `stdin: 'pipe'`. */
  input?: string
  /** 'pipe' keeps stdin open for the test to write to (`child.stdin`). */
  stdin?: 'ignore' | 'pipe'
  timeoutMs?: number
  /** Called once the child is running (e.g. to kill it). */
  onSpawn?: (child: ChildProcess) => void
}

export interface RunningProcess {
  child: ChildProcess
  stdout(): string
  stderr(): string
  /** Called with every chunk of stdout as it arrives (after `stdout()` has it). */
  onStdout(listener: (chunk: string) => void): void
  /** Resolves once the child has ended and its output is complete. */
  exited: Promise<CliResult>
  /** Sends `signal` (if still running) and waits for the end. */
  stop(signal?: NodeJS.Signals): Promise<CliResult>
}

const children = new Set<ChildProcess>()

/** Kills every child still running (done at each test's end; a suite closing its sandbox first calls it too). */
export function killChildren(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  children.clear()
}

afterEach(killChildren)

/** The environment of a CLI run: production mode, no colour, HOME in the project, PATH; then `extra`. */
export function cliEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, NODE_ENV: 'production', NO_COLOR: '1', ...extra}
}

/** Starts any command under the harness's rules (tracked, timed out, killed at test end). */
export function startProcess(command: string, args: readonly string[], options: ProcessOptions): RunningProcess {
  const piped = options.input !== undefined || options.stdin === 'pipe'
  const child = spawn(command, args, {cwd: options.cwd, env: options.env, stdio: [piped ? 'pipe' : 'ignore', 'pipe', 'pipe']})
  children.add(child)
  let stdout = ''
  let stderr = ''
  const listeners: Array<(chunk: string) => void> = []
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    for (const listener of listeners) listener(chunk)
  })
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  if (child.stdin) {
    // A child that exits before reading its input must not fail the test with EPIPE.
    child.stdin.on('error', () => undefined)
    if (options.input !== undefined) child.stdin.end(options.input)
  }
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? DEFAULT_TIMEOUT_MS)
  const exited = new Promise<CliResult>((resolve, reject) => {
    child.on('error', (error) => {
      clearTimeout(timer)
      children.delete(child)
      reject(error)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      children.delete(child)
      resolve({code, signal, stdout, stderr})
    })
  })
  options.onSpawn?.(child)
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    onStdout: (listener) => void listeners.push(listener),
    exited,
    stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      return exited
    },
  }
}

/** Starts `recallctl ARGS` (the built CLI), for a test that talks to it while it runs. */
export const startCli = (args: readonly string[], options: ProcessOptions): RunningProcess =>
  startProcess(process.execPath, [BIN, ...args], options)

/** Runs `recallctl ARGS` to its end. */
export const runCliIn = (args: readonly string[], options: ProcessOptions): Promise<CliResult> => startCli(args, options).exited

/** Parses stdout as JSON, with the CLI's output in the error when it is not JSON. */
export function parseJson<T = any>(result: Pick<CliResult, 'code' | 'stdout' | 'stderr'>): T {
  try {
    return JSON.parse(result.stdout) as T
  } catch {
    throw new Error(`stdout is not JSON (exit ${result.code}).\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`)
  }
}
