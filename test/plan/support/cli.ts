import {spawn} from 'node:child_process'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url))
/** The CLI under test; RECALLCTL_E2E_BIN points at another build (e.g. one made away from a shared tree). */
const BIN = process.env['RECALLCTL_E2E_BIN'] ?? path.join(REPO_ROOT, 'bin', 'run.js')

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/**
 * Runs the built CLI (`node bin/run.js`) as a user would: production mode, no colour, and only the
 * environment given (never the test runner's, so no stray RECALL_API_KEY). Asynchronous on purpose:
 * the sandbox it talks to runs in this process and must keep answering.
 */
export function runCli(args: readonly string[], options: {cwd: string; env?: Record<string, string>}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: {PATH: process.env['PATH'] ?? '', HOME: options.cwd, NODE_ENV: 'production', NO_COLOR: '1', ...options.env},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({code, stdout, stderr}))
  })
}

/** A temporary directory, removed by the returned function. */
export async function tempDir(prefix: string): Promise<{dir: string; remove: () => Promise<void>}> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix))
  return {dir, remove: () => rm(dir, {recursive: true, force: true})}
}

/** Parses stdout as the JSON plan, with the CLI's output in the error when it is not JSON. */
export function parseJson<T = any>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T
  } catch {
    throw new Error(`stdout is not JSON (exit ${result.code}).\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`)
  }
}
