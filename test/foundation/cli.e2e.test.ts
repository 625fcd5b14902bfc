import {cpSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, describe, expect, test} from 'vitest'
import {BODY_FIELDS} from '../../src/recall/body-schema.js'
import {emptyProject, REPO_ROOT as root, runCliIn} from '../support/e2e.js'

/** The built CLI, as a user runs it (test/global-setup.ts builds dist/ first), in the repository's example. */
const home = emptyProject({lifetime: 'suite'})
afterAll(() => home.remove())

interface Result {
  status: number | null
  stdout: string
  stderr: string
}

async function recallctl(args: string[], options: {env?: Record<string, string>} = {}): Promise<Result> {
  const result = await runCliIn(args, {cwd: root, env: {...home.env, ...options.env}, timeoutMs: 30_000})
  return {status: result.code, stdout: result.stdout, stderr: result.stderr}
}

/** A copy of the bundled example in a temp dir (from the project builder), optionally with some files replaced. */
function exampleCopy(changes: Record<string, string> = {}): string {
  const copy = emptyProject()
  cpSync(path.join(root, 'recall.config.yaml'), path.join(copy.dir, 'recall.config.yaml'))
  cpSync(path.join(root, 'recordings'), path.join(copy.dir, 'recordings'), {recursive: true})
  for (const [file, text] of Object.entries(changes)) copy.write(file, text)
  return copy.dir
}

const noStackTrace = (r: Result) => {
  expect(r.stdout).not.toContain('    at ')
  expect(r.stderr).not.toContain('    at ')
}

describe('recallctl validate', () => {
  test('the bundled example is valid: exit 0', async () => {
    const r = await recallctl(['validate'])
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^Valid: /m)
  })

  test('--json says valid, with the counts of the example', async () => {
    const r = await recallctl(['validate', '--json'])
    expect(r.status).toBe(0)
    const out = JSON.parse(r.stdout) as {
      valid: boolean
      profiles: number
      assignments: number
      bots: number
      match_selectors: number
      diagnostics: unknown[]
    }
    expect(out).toMatchObject({valid: true, profiles: 4, assignments: 2, bots: 3, match_selectors: 1})
    expect(out.diagnostics.filter((d) => (d as {severity: string}).severity === 'error')).toEqual([])
  })

  test('a broken copy exits 1 and prints file:line:column for every problem, without a stack trace', async () => {
    const sales = readFileSync(path.join(root, 'recordings/sales.yaml'), 'utf8')
    const dir = exampleCopy({
      'recordings/sales.yaml': sales.replace('extends: base', 'extends: bse').replace('language_code: en', 'languge_code: en'),
    })
    const r = await recallctl(['validate', '--dir', dir])
    expect(r.status).toBe(1)
    expect(r.stdout).toContain('recordings/sales.yaml:4:14: error: profile "sales" extends "bse"')
    expect(r.stdout).toContain('Did you mean "base"?')
    expect(r.stdout).toContain('recordings/sales.yaml:6:41: error: profile "sales": unknown key "languge_code"')
    expect(r.stdout).toMatch(/^Invalid: 2 errors/m)
    noStackTrace(r)
  })

  test('a YAML syntax error exits 1 with its position, without a stack trace', async () => {
    const dir = exampleCopy({'recordings/base.yaml': 'profiles:\n  base:\n    retention: {type: timed\n'})
    const r = await recallctl(['validate', '--dir', dir])
    expect(r.status).toBe(1)
    expect(r.stdout).toMatch(/recordings\/base\.yaml:\d+:\d+: error: YAML syntax error/)
    noStackTrace(r)
  })

  test('--json on a broken copy says invalid and lists the diagnostics with positions', async () => {
    const dir = exampleCopy({'recall.config.yaml': 'version: 1\napi:\n  base_url: sandbox\n  regoin: us-east-1\n'})
    const r = await recallctl(['validate', '--json', '--dir', dir])
    expect(r.status).toBe(1)
    const out = JSON.parse(r.stdout) as {
      valid: boolean
      diagnostics: Array<{file: string; line: number; column: number; message: string}>
    }
    expect(out.valid).toBe(false)
    expect(out.diagnostics).toContainEqual(
      expect.objectContaining({file: 'recall.config.yaml', line: 4, column: 3, code: 'unknown_key'}),
    )
  })

  test('a directory without a config is an error for people, not a crash', async () => {
    const dir = emptyProject().dir
    const r = await recallctl(['validate', '--dir', dir])
    expect(r.status).toBe(1)
    expect(r.stdout + r.stderr).toContain('recall.config.yaml not found')
    noStackTrace(r)
  })
})

describe('recallctl profiles', () => {
  test('NAME --json shows the merged, complete body of the chain', async () => {
    const r = await recallctl(['profiles', 'sales-call', '--json'])
    expect(r.status).toBe(0)
    const [profile, ...others] = JSON.parse(r.stdout) as Array<{
      name: string
      chain: string[]
      digest: string
      body: Record<string, unknown>
    }>
    expect(others).toEqual([])
    expect(profile?.name).toBe('sales-call')
    expect(profile?.chain).toEqual(['base', 'sales', 'sales-call'])
    expect(profile?.digest).toMatch(/^v1:[0-9a-f]{32}$/)
    expect(Object.keys(profile?.body ?? {})).toEqual([...BODY_FIELDS])
    expect(profile?.body).toMatchObject({
      retention: {type: 'timed', hours: 720}, // from base
      start_recording_on: 'call_join', // from base
      transcript: {provider: {recallai_streaming: {language_code: 'en'}}}, // from sales
      realtime_endpoints: [{type: 'webhook', url: 'https://hooks.example.com/recall', events: ['transcript.data']}], // its own
      metadata: {managed_by: 'recallctl-example', team: 'sales', channel: 'calls'}, // merged key by key
      audio_mixed_raw: null, // endpoint default, written out
    })
  })

  test('an unknown NAME says did-you-mean and exits 1, without a stack trace', async () => {
    const r = await recallctl(['profiles', 'sales-cal'])
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('no profile named "sales-cal". Did you mean "sales-call"?')
    noStackTrace(r)
  })

  test('a NAME far from every profile lists the profiles', async () => {
    const r = await recallctl(['profiles', 'nope'])
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('no profile named "nope"')
    expect(r.stderr).toContain('base, sales, sales-call, support')
    noStackTrace(r)
  })
})

describe('secrets in CLI output', () => {
  const SECRET = 'hunter2-very-secret-value'
  const sales = readFileSync(path.join(root, 'recordings/sales.yaml'), 'utf8')
  const withSecret = sales
    .replace(
      'url: "https://hooks.example.com/recall"',
      'url: "https://hooks.example.com/recall/${env:HOOK_TOKEN}?token=${env:HOOK_TOKEN}"',
    )
    .replace('metadata: { channel: calls }', 'metadata: { channel: calls, note: "${env:HOOK_TOKEN}" }')

  test('a ${env:} value appears in no output of validate or profiles: only <redacted>', async () => {
    const dir = exampleCopy({'recordings/sales.yaml': withSecret})
    const env = {HOOK_TOKEN: SECRET}
    const runs = await Promise.all([
      recallctl(['validate', '--dir', dir], {env}),
      recallctl(['validate', '--json', '--dir', dir], {env}),
      recallctl(['profiles', '--dir', dir], {env}),
      recallctl(['profiles', 'sales-call', '--json', '--dir', dir], {env}),
    ])
    for (const r of runs) {
      expect(r.status).toBe(0)
      expect(r.stdout + r.stderr).not.toContain(SECRET)
      expect(r.stdout + r.stderr).not.toContain('hunter2')
    }
    const shown = JSON.parse(runs[3]?.stdout ?? '[]') as Array<{
      body: {realtime_endpoints: Array<{url: string}>; metadata: Record<string, string>}
    }>
    expect(shown[0]?.body.realtime_endpoints[0]?.url).toBe('https://hooks.example.com/recall/<redacted>?token=<redacted>')
    expect(shown[0]?.body.metadata['note']).toBe('<redacted>')
  })

  test('nor in the diagnostics of a broken project', async () => {
    const dir = exampleCopy({
      'recordings/sales.yaml': withSecret
        .replace('https://hooks.example.com/recall/', 'http://localhost:9/recall/')
        .replace('extends: base', 'extends: bse'),
    })
    const env = {HOOK_TOKEN: SECRET}
    for (const args of [['validate'], ['validate', '--json'], ['profiles'], ['profiles', 'sales-call']]) {
      const r = await recallctl([...args, '--dir', dir], {env})
      expect(r.status).toBe(1)
      expect(r.stdout + r.stderr).not.toContain(SECRET)
      noStackTrace(r)
    }
  })

  test('an unset ${env:} variable is only a warning for validate', async () => {
    const dir = exampleCopy({'recordings/sales.yaml': withSecret})
    const r = await recallctl(['validate', '--dir', dir])
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(
      /recordings\/sales\.yaml:\d+:\d+: warning: profile "sales-call": environment variable HOOK_TOKEN is not set/,
    )
  })
})
