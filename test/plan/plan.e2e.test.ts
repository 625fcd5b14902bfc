import {cp, readFile, stat} from 'node:fs/promises'
import path from 'node:path'
import {afterAll, beforeAll, beforeEach, describe, expect, test} from 'vitest'
import type {Plan} from '../../src/plan/types.js'
import {startSandbox, type RunningSandbox} from '../../src/sandbox/index.js'
import {emptyProject, type TestProject} from '../support/e2e.js'
import {parseJson, REPO_ROOT, runCli, type CliResult} from './support/cli.js'
import {
  API_KEY,
  control,
  ENV,
  EXPECTED_ACTIONS,
  HOOK_TOKEN,
  KEY_ENV,
  MARKETING,
  MISSING,
  PAGE_SIZE,
  requestLog,
  SALES,
  seeds,
  SUPPORT_JOINING,
  SUPPORT_NOOP,
  SUPPORT_START,
  UNKNOWN_STATUS,
  workspaceProject,
  type LoggedRequest,
  type ResolvedProfileJson,
} from './support/workspace.js'

/*
 * The built CLI against a sandbox started here, over a mixed-state workspace. Each test starts from the
 * same seeded world (reset through the control endpoints) with an empty request log and no faults.
 */

let sandbox: RunningSandbox
let project: TestProject
let withMissing: TestProject
let profiles: Record<string, ResolvedProfileJson>

const plan = (args: string[], dir = project.dir, env: Record<string, string> = ENV) => runCli(['plan', ...args], {cwd: dir, env})
const actionsOf = (p: Plan) => Object.fromEntries(p.changes.map((c) => [c.bot_id, c.action]))
const botRequests = (log: LoggedRequest[]) =>
  log.filter((r) => /^\/api\/v1\/bot\/[^/?]+\/$/.test(r.path)).map((r) => r.path.split('/')[4])
const listRequests = (log: LoggedRequest[]) => log.filter((r) => r.path.startsWith('/api/v1/bot/?') || r.path === '/api/v1/bot/')

/** Everything a run printed or saved must be free of the API key and every `${env:}` value. */
function expectNoSecrets(...texts: string[]): void {
  for (const text of texts) {
    expect(text).not.toContain(API_KEY)
    expect(text).not.toContain(HOOK_TOKEN)
  }
}

async function reseed(): Promise<void> {
  await control(sandbox, 'POST', 'reset', {bots: seeds(profiles)})
  await control(sandbox, 'POST', `bots/${SALES.unknown}/status`, {code: UNKNOWN_STATUS})
  await control(sandbox, 'DELETE', 'requests')
}

beforeAll(async () => {
  sandbox = await startSandbox({apiKey: API_KEY, rateLimits: false, pageSize: PAGE_SIZE})
  project = workspaceProject(sandbox, {missing: false})
  withMissing = workspaceProject(sandbox, {missing: true})
  const listed = await runCli(['profiles', '--json'], {cwd: project.dir, env: ENV})
  expect(listed.code, listed.stderr).toBe(0)
  profiles = Object.fromEntries(parseJson<ResolvedProfileJson[]>(listed).map((p) => [p.name, p]))
})

afterAll(async () => {
  await sandbox?.close()
  project?.remove()
  withMissing?.remove()
})

beforeEach(async () => {
  await reseed()
})

describe('a mixed-state workspace', () => {
  test('each bot gets the action its state calls for; bots no assignment selects are not in the plan', async () => {
    const result = await plan(['--json'])
    expect(result.code, result.stderr).toBe(0)
    const p = parseJson<Plan>(result)
    expect(actionsOf(p)).toEqual(EXPECTED_ACTIONS)
    for (const absent of [SUPPORT_JOINING, MARKETING, MISSING]) expect(p.changes.map((c) => c.bot_id)).not.toContain(absent)
    expect(p.summary).toEqual({start: 5, restart: 3, noop: 6, pending: 1, completed: 1, blocked: 1, missing: 0, unknown: 1})
    expectNoSecrets(result.stdout, result.stderr)
  })

  test('the details of each situation: digests, adoption, drift, fields changed, warnings', async () => {
    const p = parseJson<Plan>(await plan(['--json']))
    const change = (bot: string) => p.changes.find((c) => c.bot_id === bot)!
    const sales = profiles['sales']!
    const support = profiles['support']!

    expect(change(SALES.start)).toMatchObject({
      profile: 'sales',
      assignment: 'recordings/assignments.yaml:2',
      after: {digest: sales.digest},
    })
    expect(change(SALES.noop).before).toMatchObject({
      status: 'in_call_recording',
      active_digest: sales.digest,
      active_profile: 'sales',
    })
    expect(change(SALES.noopPaused).adopted).toBe(false)
    expect(change(SALES.adopted)).toMatchObject({action: 'noop', adopted: true, before: {active_digest: null}})
    expect(change(SALES.restartKnown)).toMatchObject({before: {active_digest: support.digest, active_profile: 'support'}})
    expect(change(SALES.restartKnown).fields_changed).toEqual([
      'transcript',
      'realtime_endpoints',
      'video_mixed_layout',
      'metadata',
    ])
    expect(change(SALES.restartKnown).previous_body).toEqual(support.body)
    expect(change(SALES.restartUnknown)).toMatchObject({previous_body: null, before: {active_profile: 'sales-2024'}})
    expect(p.drift).toEqual([
      {
        bot_id: SALES.drift,
        recording_id: change(SALES.drift).before.active_recording_id,
        reason: 'recording started outside recallctl',
      },
    ])
    expect(change(SALES.unknown).reason).toContain(UNKNOWN_STATUS)
    for (const bot of SUPPORT_START)
      expect(change(bot)).toMatchObject({
        profile: 'support',
        assignment: 'recordings/assignments.yaml:15',
        after: {digest: support.digest},
      })
    expect(p.diagnostics.map((d) => [d.severity, d.code])).toEqual([['warning', 'unknown_status']])
    expect(p.workspace.base_url).toBe(sandbox.url)
  })

  test('plan_digest is the same on a re-run and changes when a bot moves', async () => {
    const first = parseJson<Plan>(await plan(['--json']))
    const again = parseJson<Plan>(await plan(['--json']))
    expect(again.plan_digest).toBe(first.plan_digest)
    await control(sandbox, 'POST', `bots/${SALES.pending}/status`, {code: 'in_waiting_room'})
    const moved = parseJson<Plan>(await plan(['--json']))
    expect(moved.plan_digest).not.toBe(first.plan_digest)
    expect(actionsOf(moved)).toEqual(EXPECTED_ACTIONS)
  })

  test('a match selector reads every page of List Bots, filtered by the selector, and nothing one by one', async () => {
    const result = await plan(['--json', '--target', 'profile:support'])
    expect(result.code, result.stderr).toBe(0)
    expect(actionsOf(parseJson<Plan>(result))).toEqual(
      Object.fromEntries([...SUPPORT_START, ...SUPPORT_NOOP].map((bot) => [bot, EXPECTED_ACTIONS[bot]])),
    )
    const log = await requestLog(sandbox)
    const pages = listRequests(log)
    expect(pages).toHaveLength(Math.ceil((SUPPORT_START.length + SUPPORT_NOOP.length) / PAGE_SIZE))
    for (const request of pages) expect(request.path).toContain('metadata__team=support')
    expect(pages.map((r) => new URLSearchParams(r.path.split('?')[1]).get('page') ?? '1')).toEqual(['1', '2', '3'])
    expect(botRequests(log)).toEqual([])
  })
})

describe('exit codes', () => {
  test('1 when an assigned bot does not exist; the plan is still printed with the error', async () => {
    const result = await plan(['--json'], withMissing.dir)
    expect(result.code).toBe(1)
    const p = parseJson<Plan>(result)
    expect(p.changes.find((c) => c.bot_id === MISSING)).toMatchObject({action: 'missing', profile: 'base'})
    // Where the id is written, underlined, like any diagnostic about the files.
    const missing = p.diagnostics.find((d) => d.code === 'bot_missing')
    expect(missing).toMatchObject({
      severity: 'error',
      summary: 'Bot not found',
      file: 'recordings/missing.yaml',
      line: 3,
      column: 12,
      range: {start: {line: 3, column: 12}, end: {line: 3, column: 12 + MISSING.length}},
      snippet: {line: 3, text: `    bots: [${MISSING}]`, start_column: 12, end_column: 12 + MISSING.length},
      address: {profile: 'base', bot: MISSING},
    })
  })

  test('1 also in human format, with the error on the terminal', async () => {
    const result = await plan([], withMissing.dir)
    expect(result.code).toBe(1)
    const shown = `${result.stdout}${result.stderr}`
    // file:line:col of the id, the error, and the id underlined under its source line.
    expect(shown).toContain(`recordings/missing.yaml:3:12: error: bot ${MISSING}`)
    expect(shown).toContain(`  3 |     bots: [${MISSING}]\n    |            ${'^'.repeat(MISSING.length)}`)
  })

  test('0 with --ignore-missing: the missing bot is a warning', async () => {
    const result = await plan(['--json', '--ignore-missing'], withMissing.dir)
    expect(result.code, result.stderr).toBe(0)
    expect(parseJson<Plan>(result).diagnostics.find((d) => d.code === 'bot_missing')).toMatchObject({severity: 'warning'})
  })

  test('--detailed-exitcode: 2 while there are changes, 0 once every bot is in sync', async () => {
    const before = await plan(['--json', '--detailed-exitcode'])
    expect(before.code, before.stderr).toBe(2)
    const changes = parseJson<Plan>(before).changes.filter((c) => c.action === 'start' || c.action === 'restart')
    expect(changes.length).toBeGreaterThan(0)

    // Bring every changed bot in line, as a successful apply would: a recording stamped with the desired digest.
    const state = await control<{bots: Array<{id: string; metadata: Record<string, string>}>}>(sandbox, 'GET', 'bots')
    await control(
      sandbox,
      'POST',
      'bots',
      changes.map((c) => ({
        id: c.bot_id,
        status: 'in_call_recording',
        metadata: state.bots.find((b) => b.id === c.bot_id)!.metadata,
        recordings: [{status: 'processing', metadata: {recallctl_digest: c.after.digest, recallctl_profile: c.profile}}],
      })),
    )
    const after = await plan(['--json', '--detailed-exitcode'])
    expect(after.code, after.stderr).toBe(0)
    const p = parseJson<Plan>(after)
    expect(p.summary.start + p.summary.restart).toBe(0)
    expect(p.summary.noop).toBe(6 + changes.length)
  })

  test('--detailed-exitcode gives 1, not 2, when there is an error', async () => {
    const result = await plan(['--json', '--detailed-exitcode'], withMissing.dir)
    expect(result.code).toBe(1)
  })

  test('a bad --target is an error before any request', async () => {
    const result = await plan(['--json', '--target', 'profile:suport', '--target', 'not-a-bot'])
    expect(result.code).toBe(1)
    const messages = parseJson<Plan>(result).diagnostics.map((d) => d.message)
    expect(messages.join('\n')).toContain('Did you mean profile:support?')
    expect(messages.join('\n')).toContain('--target not-a-bot')
    expect(await requestLog(sandbox)).toEqual([])
  })

  test('an unset API key variable is an error naming the variable, before any request', async () => {
    const result = await plan([], project.dir, {HOOK_TOKEN})
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(KEY_ENV)
    expect(result.stderr).not.toMatch(/\n\s+at .*\.js:\d+/)
    expect(await requestLog(sandbox)).toEqual([])
  })
})

describe('failures Recall reports', () => {
  test('a key Recall refuses: exit 1 with a message for people naming the variable, and the key not shown', async () => {
    const wrongKey = 'wrong-key-value-77c1a9'
    const result = await plan(['--json'], project.dir, {...ENV, [KEY_ENV]: wrongKey})
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('401')
    expect(result.stderr).toContain(KEY_ENV)
    expect(result.stderr).not.toContain('bug in recallctl')
    expect(`${result.stdout}${result.stderr}`).not.toContain(wrongKey)
  })

  test('a bot Recall keeps failing to show is an error in the plan; the other bots are still planned', async () => {
    await control(sandbox, 'POST', 'faults', [
      {kind: 'status', status: 500, method: 'GET', path: `/api/v1/bot/${SALES.noop}/`, count: null},
    ])
    const result = await plan(['--json'])
    expect(result.code).toBe(1)
    const p = parseJson<Plan>(result)
    const {[SALES.noop]: failed, ...others} = actionsOf(p)
    const {[SALES.noop]: _expected, ...expectedOthers} = EXPECTED_ACTIONS
    expect(others).toEqual(expectedOthers)
    expect(failed).not.toMatch(/^(start|restart)$/)
    const errors = p.diagnostics.filter((d) => d.severity === 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]!.message).toContain(SALES.noop)
    expect(errors[0]!.message).toContain('500')
  })
})

describe('--target and --exclude narrow what is read', () => {
  test('--target profile:sales reads the sales bots one by one and lists nothing', async () => {
    const result = await plan(['--json', '--target', 'profile:sales'])
    expect(Object.keys(actionsOf(parseJson<Plan>(result))).sort()).toEqual(Object.values(SALES).sort())
    const log = await requestLog(sandbox)
    expect(botRequests(log).sort()).toEqual(Object.values(SALES).sort())
    expect(listRequests(log)).toEqual([])
  })

  test('--target BOT_ID of a bot a selector claims: one read, no List Bots, and the selector claims it', async () => {
    const bot = SUPPORT_START[2]!
    const result = await plan(['--json', '--target', bot])
    expect(result.code, result.stderr).toBe(0)
    const p = parseJson<Plan>(result)
    expect(p.changes.map((c) => [c.bot_id, c.profile, c.action])).toEqual([[bot, 'support', 'start']])
    expect((await requestLog(sandbox)).map((r) => `${r.method} ${r.path}`)).toEqual([`GET /api/v1/bot/${bot}/`])
  })

  test('--target BOT_ID that no selector claims is an error naming it, not silence (exit 1)', async () => {
    const unknownBot = '00000000-0000-4000-8000-0000000000ff'
    const result = await plan(['--json', '--target', SUPPORT_JOINING, '--target', unknownBot])
    expect(result.code, result.stderr).toBe(1)
    const p = parseJson<Plan>(result)
    expect(p.changes).toEqual([])
    const warnings = p.diagnostics.filter((d) => d.code === 'target_unassigned')
    expect(warnings.map((d) => d.severity)).toEqual(['error', 'error'])
    expect(warnings.find((d) => d.message.includes(SUPPORT_JOINING))!.message).toContain('joining_call')
    expect(warnings.find((d) => d.message.includes(unknownBot))!.message).toContain('404')
    expect(listRequests(await requestLog(sandbox))).toEqual([])
  })

  test('--target of an explicitly assigned bot, comma-separated with another', async () => {
    const result = await plan(['--json', '--target', `${SALES.start},${SALES.noop}`])
    expect(Object.keys(actionsOf(parseJson<Plan>(result))).sort()).toEqual([SALES.start, SALES.noop].sort())
    const log = await requestLog(sandbox)
    expect(botRequests(log).sort()).toEqual([SALES.start, SALES.noop].sort())
    expect(listRequests(log)).toEqual([])
  })

  test('--exclude BOT_ID is not read; --exclude profile:support lists nothing', async () => {
    const result = await plan(['--json', '--exclude', SALES.start, '--exclude', 'profile:support'])
    expect(result.code, result.stderr).toBe(0)
    const planned = Object.keys(actionsOf(parseJson<Plan>(result)))
    expect(planned.sort()).toEqual(
      Object.values(SALES)
        .filter((bot) => bot !== SALES.start)
        .sort(),
    )
    const log = await requestLog(sandbox)
    expect(botRequests(log)).not.toContain(SALES.start)
    expect(botRequests(log)).toHaveLength(Object.values(SALES).length - 1)
    expect(listRequests(log)).toEqual([])
  })

  test('--exclude of a bot a selector finds drops it from the plan', async () => {
    const result = await plan(['--json', '--exclude', SUPPORT_NOOP[0]!, '--target', 'profile:support'])
    const planned = Object.keys(actionsOf(parseJson<Plan>(result)))
    expect(planned).not.toContain(SUPPORT_NOOP[0])
    expect(planned).toHaveLength(SUPPORT_START.length + SUPPORT_NOOP.length - 1)
  })
})

describe('transient failures', () => {
  test('a burst of 429s is waited out', async () => {
    await control(sandbox, 'POST', 'faults', [
      {kind: 'rate_limit', method: 'GET', path: `/api/v1/bot/${SALES.start}/`, count: 2, retry_after: 1},
      {kind: 'rate_limit', method: 'GET', path: '/api/v1/bot/', after: 1, count: 1, retry_after: 1},
    ])
    const result = await plan(['--json'])
    expect(result.code, result.stderr).toBe(0)
    expect(actionsOf(parseJson<Plan>(result))).toEqual(EXPECTED_ACTIONS)
    const log = await requestLog(sandbox)
    expect(log.filter((r) => r.status === 429)).toHaveLength(3)
    expect(log.filter((r) => r.path === `/api/v1/bot/${SALES.start}/`).map((r) => r.status)).toEqual([429, 429, 200])
  }, 120_000)

  test("the sandbox's own rate limit (a scaled-down window) is waited out", async () => {
    await control(sandbox, 'PUT', 'rate-limits', {window_ms: 400, limits: {retrieve_bot: 3, list_bots: 1}})
    try {
      const result = await plan(['--json'])
      expect(result.code, result.stderr).toBe(0)
      expect(actionsOf(parseJson<Plan>(result))).toEqual(EXPECTED_ACTIONS)
      const log = await requestLog(sandbox)
      expect(log.some((r) => r.status === 429)).toBe(true)
      expect(new Set(botRequests(log.filter((r) => r.status === 200)))).toEqual(new Set(Object.values(SALES)))
    } finally {
      await control(sandbox, 'PUT', 'rate-limits', {limits: {retrieve_bot: null, list_bots: null}})
    }
  }, 120_000)

  test('a 503 is retried', async () => {
    await control(sandbox, 'POST', 'faults', [
      {kind: 'status', status: 503, method: 'GET', path: `/api/v1/bot/${SALES.noop}/`, count: 2},
      {kind: 'status', status: 503, method: 'GET', path: '/api/v1/bot/', count: 1},
    ])
    const result = await plan(['--json'])
    expect(result.code, result.stderr).toBe(0)
    expect(actionsOf(parseJson<Plan>(result))).toEqual(EXPECTED_ACTIONS)
    const log = await requestLog(sandbox)
    expect(log.filter((r) => r.path === `/api/v1/bot/${SALES.noop}/`).map((r) => r.status)).toEqual([503, 503, 200])
    expect(listRequests(log).map((r) => r.status)).toEqual([503, 200, 200, 200])
  }, 120_000)
})

describe('saved plans', () => {
  test('plan --out, then show renders the same plan in every format', async () => {
    const file = 'saved-plan.json'
    const made = await plan(['--out', file, '--format', 'markdown'])
    expect(made.code, made.stderr).toBe(0)
    const saved = JSON.parse(await readFile(path.join(project.dir, file), 'utf8')) as Plan
    expect(saved.format_version).toBe(1)
    expect(actionsOf(saved)).toEqual(EXPECTED_ACTIONS)

    const shown = {
      json: await runCli(['show', file, '--format', 'json'], {cwd: project.dir}),
      markdown: await runCli(['show', file, '--format', 'markdown'], {cwd: project.dir}),
      human: await runCli(['show', file, '--format', 'human'], {cwd: project.dir}),
    }
    for (const result of Object.values(shown)) expect(result.code, result.stderr).toBe(0)
    expect(parseJson<Plan>(shown.json)).toEqual(saved)
    // plan printed the markdown of the plan it saved: show renders the very same text.
    expect(shown.markdown.stdout).toBe(made.stdout)
    expect(shown.markdown.stdout).toContain(`<!-- recallctl-plan v1 digest=${saved.plan_digest} -->`)
    expect(shown.human.stdout).toContain(saved.plan_digest)
    expect(shown.human.stdout).toContain('Plan: 5 to start, 3 to restart, 6 unchanged, 1 pending, 1 completed')
  })

  test('plan --out in human format prints what show prints for that file', async () => {
    const file = 'human-plan.json'
    const made = await plan(['--out', file])
    expect(made.code, made.stderr).toBe(0)
    const shown = await runCli(['show', file], {cwd: project.dir})
    expect(shown.stdout).toBe(made.stdout)
  })

  test('show of a file that is not a plan is an error naming the file', async () => {
    const shown = await runCli(['show', 'recall.config.yaml'], {cwd: project.dir})
    expect(shown.code).toBe(1)
    expect(shown.stderr).toContain('recall.config.yaml')
  })
})

describe('secrets', () => {
  test('neither the API key nor a ${env:} value appears in any output or saved plan', async () => {
    const outputs: CliResult[] = []
    for (const format of ['human', 'markdown', 'json']) {
      const file = `secret-check-${format}.json`
      const made = await plan(['--out', file, '--format', format])
      expect(made.code, made.stderr).toBe(0)
      outputs.push(made)
      const saved = await readFile(path.join(project.dir, file), 'utf8')
      expectNoSecrets(saved)
      expect(saved).toContain('<redacted>')
      for (const showFormat of ['human', 'markdown', 'json'])
        outputs.push(await runCli(['show', file, '--format', showFormat], {cwd: project.dir}))
    }
    // A failing run and a verbose one too: errors and progress go through the same filter.
    outputs.push(await plan(['--format', 'human'], withMissing.dir))
    outputs.push(await runCli(['profiles', 'sales'], {cwd: project.dir, env: ENV}))
    for (const result of outputs) expectNoSecrets(result.stdout, result.stderr)
    const salesBody = JSON.stringify(
      parseJson<Plan>(await plan(['--json'])).changes.find((c) => c.bot_id === SALES.start)!.after.body,
    )
    expect(salesBody).toContain('https://hooks.example.com/recall?token=<redacted>')
    expect(salesBody).toContain('"hook_ref":"<redacted>"')
  }, 120_000)

  test('the sandbox saw the API key: the check above looked for the right value', async () => {
    const rejected = await fetch(`${sandbox.url}/api/v1/bot/${SALES.start}/`, {headers: {authorization: 'Token wrong'}})
    expect(rejected.status).toBe(401)
    const accepted = await fetch(`${sandbox.url}/api/v1/bot/${SALES.start}/`, {headers: {authorization: `Token ${API_KEY}`}})
    expect(accepted.status).toBe(200)
  })
})

describe('the bundled example on the embedded sandbox', () => {
  test('plan works from a fresh copy with no key in the environment', async () => {
    const example = emptyProject({lifetime: 'suite'})
    try {
      await cp(path.join(REPO_ROOT, 'recall.config.yaml'), path.join(example.dir, 'recall.config.yaml'))
      await cp(path.join(REPO_ROOT, 'recordings'), path.join(example.dir, 'recordings'), {recursive: true})
      const human = await runCli(['plan'], {cwd: example.dir})
      expect(human.code, human.stderr).toBe(0)
      expect(human.stdout).toMatch(/Plan: \d+ to start/)
      const json = await runCli(['plan', '--json'], {cwd: example.dir})
      expect(json.code, json.stderr).toBe(0)
      const p = parseJson<Plan>(json)
      expect(p.workspace.base_url).toBe('sandbox')
      expect(p.changes.length).toBeGreaterThan(0)
      expect(p.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
      // The sandbox's world is kept in the project, so separate runs see the same bots.
      expect((await stat(path.join(example.dir, '.recallctl', 'sandbox.json'))).isFile()).toBe(true)
    } finally {
      example.remove()
    }
  })
})
