import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {appendPlanToStepSummary, STEP_SUMMARY_LIMIT_BYTES} from '../../src/cli/github-actions.js'
import {renderMarkdown} from '../../src/render/markdown.js'
import {SecretScrubber} from '../../src/shared/redact.js'
import {largePlan} from '../render/fixtures.js'
import {startProcess} from '../support/cli.js'
import {fakeGithub} from './support/action.js'
import {REPO_ROOT} from './support/examples.js'
import {recallctl} from './support/processes.js'
import {BOT, WITH_RESTART, githubEnv, openWorld, type World} from './support/world.js'

/** The plan in `$GITHUB_STEP_SUMMARY` and in the pull-request comment, at the sizes GitHub allows. */

const GITHUB_COMMENT_LIMIT = 65_536

/** A step summary that earlier steps already filled to `bytes`. */
function filledSummary(dir: string, bytes: number): string {
  const file = path.join(dir, 'step-summary.md')
  const line = `${'x'.repeat(99)}\n`
  writeFileSync(file, line.repeat(Math.floor(bytes / line.length)) + 'y'.repeat(bytes % line.length))
  expect(statSync(file).size).toBe(bytes)
  return file
}

describe('plan under GitHub Actions with a step summary that earlier steps filled', () => {
  let world: World
  beforeAll(async () => {
    world = await openWorld()
  })
  afterAll(async () => {
    await world?.close()
  })

  it('appends what fits and stays within 1 MiB, marker and restart count included', async () => {
    world.scene(WITH_RESTART)
    const gh = githubEnv(world)
    const before = STEP_SUMMARY_LIMIT_BYTES - 1500
    filledSummary(path.dirname(gh.summary), before)
    const result = await recallctl(['plan', '--detailed-exitcode'], {cwd: world.repo, env: gh.env})
    expect(result.code, result.stderr).toBe(2)
    expect(statSync(gh.summary).size).toBeGreaterThan(before)
    expect(statSync(gh.summary).size).toBeLessThanOrEqual(STEP_SUMMARY_LIMIT_BYTES)
    const appended = readFileSync(gh.summary, 'utf8').slice(before)
    expect(appended).toMatch(/^<!-- recallctl-plan v1 digest=v1:[0-9a-f]{32} -->\n/)
    expect(appended).toContain('1 to restart')
  })

  it('leaves a full step summary as it is, and the plan still succeeds', async () => {
    world.scene(WITH_RESTART)
    const gh = githubEnv(world)
    const before = STEP_SUMMARY_LIMIT_BYTES - 100
    filledSummary(path.dirname(gh.summary), before)
    const result = await recallctl(['plan', '--detailed-exitcode'], {cwd: world.repo, env: gh.env})
    expect(result.code, result.stderr).toBe(2)
    expect(statSync(gh.summary).size).toBe(before)
    expect(result.stdout).toContain(BOT.drifted)
  })

  it('does not touch $GITHUB_STEP_SUMMARY outside GitHub Actions', async () => {
    world.scene(WITH_RESTART)
    const gh = githubEnv(world)
    const {GITHUB_ACTIONS: _notGithub, ...env} = gh.env
    const result = await recallctl(['plan'], {cwd: world.repo, env})
    expect(result.code, result.stderr).toBe(0)
    expect(readFileSync(gh.summary, 'utf8')).toBe('')
  })
})

describe('a plan of 5,000 bots', () => {
  const restarts = 200
  const plan = largePlan(5000, restarts)
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'recallctl-summary-'))
  })
  afterAll(() => rmSync(dir, {recursive: true, force: true}))

  it('makes a pull-request comment under 60,000 characters that keeps the restart warning and field diff, and the action posts it whole', async () => {
    const markdown = renderMarkdown(plan)
    expect(markdown.length).toBeLessThan(60_000)
    writeFileSync(path.join(dir, 'plan.md'), markdown)
    // The action's own comment step, talking to a fake `gh`.
    const gh = fakeGithub(dir)
    const posted = await startProcess(process.execPath, [path.join(REPO_ROOT, 'action', 'sticky-comment.mjs')], {
      cwd: dir,
      env: {
        ...gh.env,
        PATH: `${gh.bin}:${process.env['PATH'] ?? ''}`,
        GH_TOKEN: 'ghs_fake_token',
        RECALLCTL_ACTION_COMMENT: 'true',
        RECALLCTL_ACTION_COMMAND: 'plan',
        RECALLCTL_ACTION_EXIT_CODE: '2',
        PR_NUMBER: '7',
        GITHUB_REPOSITORY: 'o/r',
        GITHUB_RUN_ID: '1',
      },
    }).exited
    expect(posted.code, posted.stderr).toBe(0)
    const body = gh.comments()[0]!.body
    expect(body.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT)
    expect(body.startsWith(markdown)).toBe(true)
    expect(body).toContain(`### ⚠️ Restarts (${restarts})`)
    expect(body).toContain(`${restarts} bots`)
    expect(body).toContain('~ retention.type: "forever" → "timed"')
  })

  it('fits in what is left of the step summary, the restarts counted with their field diff', async () => {
    const file = filledSummary(dir, STEP_SUMMARY_LIMIT_BYTES - 80_000)
    const written = await appendPlanToStepSummary(file, plan, 'plan.json')
    expect(written).toBeGreaterThan(0)
    expect(statSync(file).size).toBeLessThanOrEqual(STEP_SUMMARY_LIMIT_BYTES)
    const appended = readFileSync(file, 'utf8').slice(STEP_SUMMARY_LIMIT_BYTES - 80_000)
    expect(appended).toContain(`### ⚠️ Restarts (${restarts})`)
    expect(appended).toContain('~ retention.type: "forever" → "timed"')
  })
})

describe('the step summary goes through the secret scrubber', () => {
  it('shows a secret that reached the plan as <redacted>, and measures the budget after scrubbing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'recallctl-summary-'))
    try {
      const secret = 'skLive0123456789abcdef'
      const plan = largePlan(3, 1)
      plan.diagnostics = [{severity: 'warning', code: 'unused_profile', message: `bot note mentions ${secret}`}]
      const file = filledSummary(dir, 0)
      const scrubber = new SecretScrubber().add(secret)
      await appendPlanToStepSummary(file, plan, 'plan.json', (text) => scrubber.scrub(text))
      const text = readFileSync(file, 'utf8')
      expect(text).not.toContain(secret)
      expect(text).toContain('bot note mentions <redacted>')
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
