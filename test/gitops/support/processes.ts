import {spawnSync} from 'node:child_process'
import {BIN, startProcess} from '../../support/e2e.js'

/** Runs the built CLI and the example pipelines' shell steps, the way a CI runner would (on the one harness). */

export {BIN}

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

export const run = (command: string, args: readonly string[], options: RunOptions): Promise<Finished> =>
  startProcess(command, args, {
    cwd: options.cwd,
    env: options.env,
    input: options.input ?? '',
    timeoutMs: options.timeoutMs ?? 45_000,
  }).exited

/** `recallctl ARGS` from the built CLI, as `npx recallctl` runs it after `npm ci`. */
export const recallctl = (args: readonly string[], options: RunOptions): Promise<Finished> =>
  run(process.execPath, [BIN, ...args], options)

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
export function recallctlOnPty(
  args: readonly string[],
  options: RunOptions & {prompt?: string; answer?: string},
): Promise<Finished & {prompted: boolean}> {
  const command = [process.execPath, BIN, ...args].map(shellQuote).join(' ')
  const running = startProcess('script', ['-qec', command, '/dev/null'], {
    cwd: options.cwd,
    env: options.env,
    stdin: 'pipe',
    timeoutMs: options.timeoutMs ?? 45_000,
  })
  let prompted = false
  running.onStdout(() => {
    if (!prompted && options.prompt !== undefined && running.stdout().includes(options.prompt)) {
      prompted = true
      running.child.stdin!.write(`${options.answer ?? ''}\n`)
    }
  })
  return running.exited.then(({code, stdout}) => ({code, stdout, stderr: '', prompted}))
}
