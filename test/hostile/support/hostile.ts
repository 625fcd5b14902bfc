import {randomUUID} from 'node:crypto'
import {readdirSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {expect} from 'vitest'
import type {RunningSandbox} from '../../../src/sandbox/index.js'
import {runCli, seededProject, type CliResult, type ProjectOptions, type RunOptions, type TestProject} from '../../support/e2e.js'

/**
 * The hostile-input harness: every case runs the built CLI against a sandbox on loopback and then
 * checks the promises that hold whatever the input:
 * - the exit code is the expected one;
 * - bad input causes no request to Recall (the sandbox log holds no API request);
 * - no secret appears in stdout, stderr or any file under the project, in any encoding;
 * - nothing looks like a crash: no stack frame, no "This is a bug", no raw Node error class name.
 *
 * Usage:
 *   const h = await hostileProject({recordings: '...'})
 *   const result = await h.run(['plan'], {env: {HOOK_TOKEN: SECRET}})
 *   expectSafe(result, h, {exitCode: 1, requests: 'none', secrets: [SECRET]})
 */

export interface HostileProject {
  sandbox: RunningSandbox
  project: TestProject
  /** Ids of the seeded bots (in the call, not recording), assigned to profile `e2e` by default. */
  ids: string[]
  /** Writes a file of the project (relative path). */
  write(file: string, text: string): void
  /** Runs the built CLI in the project folder. */
  run(args: readonly string[], options?: RunOptions): Promise<CliResult>
}

export interface HostileProjectOptions extends ProjectOptions {
  /** How many bots the sandbox holds (default 2). */
  bots?: number
}

/** A sandbox with `bots` in-call bots and a project assigning them (override any file with `write`). */
export async function hostileProject(options: HostileProjectOptions = {}): Promise<HostileProject> {
  const {sandbox, ids, project} = await seededProject(options.bots ?? 2, options)
  return {sandbox, ids, project, write: project.write, run: (args, runOptions) => runCli(project, args, runOptions)}
}

/**
 * A project whose only assignment is a `match` selector on `team: support`: bot `matched` (support) is in
 * the call and selected, bot `other` (sales) is in the call and selected by nothing. With `conflict`, a
 * second assignment (profile `other`) also lists `matched` by id: a bot claimed twice.
 */
export async function selectorProject(
  options: {conflict?: boolean} = {},
): Promise<HostileProject & {matched: string; other: string}> {
  const h = await hostileProject({bots: 0})
  const matched = randomUUID()
  const other = randomUUID()
  h.sandbox.seed([
    {id: matched, status: 'in_call_not_recording', recordings: [], metadata: {team: 'support'}},
    {id: other, status: 'in_call_not_recording', recordings: [], metadata: {team: 'sales'}},
  ])
  h.write(
    'recordings/e2e.yaml',
    [
      'profiles:',
      '  e2e:',
      '    retention: { type: timed, hours: 24 }',
      ...(options.conflict ? ['  other:', '    retention: { type: timed, hours: 48 }'] : []),
      'assignments:',
      '  - profile: e2e',
      '    match: { metadata: { team: support } }',
      ...(options.conflict ? ['  - profile: other', '    bots:', `      - ${matched}`] : []),
      '',
    ].join('\n'),
  )
  return Object.assign(h, {matched, other})
}

export interface SafetyExpectations {
  /** The exit code the case must end with. */
  exitCode?: number | number[]
  /** 'none': the sandbox saw no API request (bad input never causes a request); 'reads': no writes. */
  requests?: 'none' | 'reads' | 'any'
  /** Strings that must not appear anywhere, in any encoding. */
  secrets?: readonly string[]
  /** Extra text that must not appear (e.g. a marker from a file outside the project). */
  forbidden?: readonly string[]
  /** The output must say this (a regex on stdout + stderr), e.g. the file:line of the problem. */
  says?: RegExp | RegExp[]
}

/** Every encoding a secret could leak in: raw, URL-encoded (both forms), base64 (std and url), hex, JSON-escaped. */
export function encodingsOf(secret: string): string[] {
  const forms = new Set<string>([
    secret,
    encodeURIComponent(secret),
    encodeURIComponent(secret).replace(/%20/g, '+'),
    escape(secret),
    Buffer.from(secret).toString('base64').replace(/=+$/, ''),
    Buffer.from(secret).toString('base64url'),
    Buffer.from(secret).toString('hex'),
    JSON.stringify(secret).slice(1, -1),
  ])
  // A very short base64 form would match by chance; secrets in tests are long enough for this not to.
  return [...forms].filter((form) => form.length >= 6)
}

const CRASH_SIGNS: Array<[RegExp, string]> = [
  [/^\s+at .+(:\d+:\d+\)?|\(node:)/m, 'a stack frame'],
  [/this is a bug/i, '"This is a bug"'],
  [/\b(TypeError|ReferenceError|RangeError|SyntaxError|AssertionError|ZodError|YAMLParseError)\b/, 'a raw error class name'],
  [/\[object Object\]|\bundefined\b(?! (variable|value|alias|profile|field|key))/, 'an unrendered value'],
  [/\bE(NOENT|ACCES|ISDIR|NOTDIR|NOSPC|EXIST|ADDRINUSE|NOTFOUND|MFILE)\b:/, 'a raw OS error'],
]

/** Reads every regular file under `dir` (what the run may have written), up to 5 MB each. */
function filesUnder(dir: string): Array<{file: string; text: string}> {
  const out: Array<{file: string; text: string}> = []
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, {withFileTypes: true})) {
      const full = path.join(folder, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.isFile() && statSync(full).size <= 5_000_000)
        out.push({file: path.relative(dir, full), text: readFileSync(full, 'latin1')})
    }
  }
  walk(dir)
  return out
}

/** Asserts the promises above on one run. Files written under the project are searched as well. */
export function expectSafe(result: CliResult, hostile: HostileProject, expected: SafetyExpectations = {}): void {
  const output = `${result.stdout}\n${result.stderr}`
  const context = `exit ${result.code}\n--- stdout\n${result.stdout.slice(0, 3000)}\n--- stderr\n${result.stderr.slice(0, 3000)}`
  if (expected.exitCode !== undefined) {
    const codes = Array.isArray(expected.exitCode) ? expected.exitCode : [expected.exitCode]
    expect(codes, `exit code\n${context}`).toContain(result.code)
  }
  for (const [pattern, what] of CRASH_SIGNS) expect(pattern.test(output), `output shows ${what}\n${context}`).toBe(false)
  const requests = hostile.sandbox.requests()
  if (expected.requests === 'none')
    expect(
      requests.map((r) => `${r.method} ${r.path}`),
      'requests reached the sandbox',
    ).toEqual([])
  if (expected.requests === 'reads')
    expect(
      requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`),
      'writes reached the sandbox',
    ).toEqual([])
  const written = filesUnder(hostile.project.dir)
  for (const secret of expected.secrets ?? []) {
    for (const form of encodingsOf(secret)) {
      expect(output.includes(form), `secret (as ${JSON.stringify(form)}) in output\n${context}`).toBe(false)
      for (const {file, text} of written)
        if (!isInput(file)) expect(text.includes(form), `secret (as ${JSON.stringify(form)}) in ${file}`).toBe(false)
    }
  }
  for (const text of expected.forbidden ?? [])
    expect(output.includes(text), `${JSON.stringify(text)} in output\n${context}`).toBe(false)
  for (const pattern of [expected.says ?? []].flat()) expect(output, context).toMatch(pattern)
}

/** The project's own inputs may hold a secret as written (a test may put one there on purpose). */
function isInput(file: string): boolean {
  return file === 'recall.config.yaml' || file.startsWith('recordings/') || file.endsWith('.input')
}
