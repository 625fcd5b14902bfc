import {execFile} from 'node:child_process'

/**
 * The git CLI, run without a shell, with a timeout and a cap on what it may print. Arguments that come
 * from a user (a ref) are passed after `--end-of-options` by the callers, so they are never options.
 */

/** One git command's time limit: reading a blob or a tree of a few thousand files takes milliseconds. */
export const GIT_TIMEOUT_MS = 15_000
/** The most a git command may print (a tree listing of a large repository, a batch of blobs). */
export const GIT_MAX_OUTPUT_BYTES = 64 * 1024 * 1024

export class GitError extends Error {
  constructor(
    message: string,
    /** git's exit code; undefined when git could not run (not installed, timed out, too much output). */
    readonly exitCode: number | undefined,
    readonly stderr: string,
    readonly notInstalled = false,
  ) {
    super(message)
  }
}

/** git without prompts, pagers or optional index locks (a plan must never contend with a user's own git). */
function gitEnv(): NodeJS.ProcessEnv {
  return {...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_PAGER: 'cat', LC_ALL: 'C'}
}

/** Runs `git args...` in `cwd`; resolves with stdout (bytes), rejects with a GitError. `input` is written to stdin. */
export function git(cwd: string, args: readonly string[], input?: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      [...args],
      {cwd, env: gitEnv(), encoding: 'buffer', timeout: GIT_TIMEOUT_MS, maxBuffer: GIT_MAX_OUTPUT_BYTES, windowsHide: true},
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout)
        const code = (error as NodeJS.ErrnoException).code
        const text = stderr.toString('utf8').trim()
        if (code === 'ENOENT') return reject(new GitError('git is not installed (or not on PATH)', undefined, text, true))
        const exitCode = typeof code === 'number' ? code : undefined
        const why = error.killed
          ? `timed out after ${GIT_TIMEOUT_MS / 1000} s`
          : code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER'
            ? 'printed too much'
            : firstLine(text)
        reject(new GitError(`git ${args[0] ?? ''} failed: ${why}`, exitCode, text))
      },
    )
    if (input !== undefined) child.stdin?.end(input)
    else child.stdin?.end()
  })
}

const firstLine = (text: string): string => text.split('\n')[0]?.replace(/^(fatal|error): /, '') ?? ''

export const gitText = async (cwd: string, args: readonly string[]): Promise<string> => (await git(cwd, args)).toString('utf8')
