import {spawn, spawnSync} from 'node:child_process'
import path from 'node:path'
import {REPO_ROOT} from './examples.js'

/** Runs the built CLI and the example pipelines' shell steps, the way a CI runner would. */

export const BIN = path.join(REPO_ROOT, 'bin', 'run.js')

export interface Finished {
  code: number | null
  stdout: string
  stderr: string
}

export interface RunOptions {
  cwd: string
  /** The whole environment of the child: nothing leaks in from the test process (CI, NODE_ENV...). */
  env: Record<string, string>
  input?: string
  timeoutMs?: number
}

export function run(command: string, args: readonly string[], options: RunOptions): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe']})
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 45_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8')})
    })
    // A step that exits before reading its input must not fail the test with EPIPE.
    child.stdin.on('error', () => undefined)
    child.stdin.end(options.input ?? '')
  })
}

/** `recallctl ARGS` from the built CLI, as `npx recallctl` runs it after `npm ci`. */
export const recallctl = (args: readonly string[], options: RunOptions): Promise<Finished> => run(process.execPath, [BIN, ...args], options)

const shellQuote = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`

/** Inside a step script, `npx recallctl …` runs the built CLI (the test has no registry, and needs none). */
const NPX_SHIM = `npx() {
  if [ "$1" = recallctl ]; then shift; ${shellQuote(process.execPath)} ${shellQuote(BIN)} "$@"
  else echo "npx $1: not available in the test" >&2; return 127; fi
}
`

/**
 * Runs a pipeline's shell script as GitHub Actions runs `shell: bash` steps (`bash --noprofile --norc
 * -eo pipefail`) and GitLab runs job scripts (`set -eo pipefail`, every line in one shell).
 */
export const runScript = (script: string, options: RunOptions): Promise<Finished> =>
  run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', `${NPX_SHIM}${script}`], options)

/** util-linux `script` gives the CLI a pseudo-terminal, so colour and prompts are what a person would get. */
export const hasPty = spawnSync('script', ['--version'], {encoding: 'utf8'}).status === 0

/**
 * `recallctl ARGS` on a pseudo-terminal. `answer` is typed once `prompt` shows up (the prompt waits
 * for it); the child's stdout and stderr both come back in `stdout`.
 */
export function recallctlOnPty(args: readonly string[], options: RunOptions & {prompt?: string; answer?: string}): Promise<Finished & {prompted: boolean}> {
  const command = [process.execPath, BIN, ...args].map(shellQuote).join(' ')
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe']})
    let output = ''
    let prompted = false
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8')
      if (!prompted && options.prompt !== undefined && output.includes(options.prompt)) {
        prompted = true
        child.stdin.write(`${options.answer ?? ''}\n`)
      }
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 45_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({code, stdout: output, stderr: '', prompted})
    })
  })
}
