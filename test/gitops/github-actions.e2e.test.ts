import {readFileSync} from 'node:fs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {maskCommands} from '../../src/cli/terminal.js'
import {fakeGithub, installRecallctl, runAction} from './support/action.js'
import {GITHUB_APPLY, GITHUB_PLAN, githubScript, githubStep, parseExample} from './support/examples.js'
import {FakePullRequest} from './support/github-script.js'
import {runScript, type Finished} from './support/processes.js'
import {BOT, SECRETS, STARTS_ONLY, WITH_RESTART, githubEnv, openWorld, withoutMaskCommands, type World} from './support/world.js'

/**
 * The example GitHub workflows' own steps, run as the runner runs them (bash -eo pipefail, GITHUB_*
 * files): their `run:` steps, their recallctl action steps (action.yml, with the `with:` the workflow
 * gives, `gh` faked), and the github-script step against a fake pull request; the built CLI against a
 * sandbox.
 */

const planWorkflow = parseExample(GITHUB_PLAN)
const applyWorkflow = parseExample(GITHUB_APPLY)
const stepRun = (workflow: Record<string, unknown>, job: string, step: string): string => {
  const script = githubStep(workflow, job, step).run
  if (script === undefined) throw new Error(`step ${step} has no run script`)
  return script
}
/** The `with:` of a workflow's recallctl action step, as the runner passes it (strings). */
const actionInputs = (
  workflow: Record<string, unknown>,
  job: string,
  step: string,
  expressions: Record<string, string> = {},
): Record<string, string> => {
  const found = githubStep(workflow, job, step)
  if (!found.uses?.startsWith('recallctl/recallctl@')) throw new Error(`step ${step} does not use the recallctl action`)
  return Object.fromEntries(
    Object.entries(found.with ?? {}).map(([name, value]) => [
      name,
      String(value).replace(/\$\{\{ ([^}]+?) \}\}/g, (_all, expression: string) => expressions[expression] ?? ''),
    ]),
  )
}
const FIND_REVIEWED_SCRIPT = githubScript(githubStep(applyWorkflow, 'apply-reviewed', 'reviewed'))
const MARKER_LINE = /^<!-- recallctl-plan v1 digest=(v1:[0-9a-f]{32}) -->$/
const WRONG_DIGEST = `v1:${'0'.repeat(32)}`
const PULL_REQUEST = {number: 21, headSha: 'feedfacefeedfacefeedfacefeedfacefeedface'}

let world: World
beforeAll(async () => {
  world = await openWorld()
  installRecallctl(world.repo)
})
afterAll(async () => {
  await world?.close()
})

const planDigest = (): string => (JSON.parse(world.read('plan.json')) as {plan_digest: string}).plan_digest
const startCallFor = (bot: string): string => `/api/v1/bot/${bot}/start_recording/`
const texts = (steps: Record<string, Finished>) => Object.values(steps).flatMap((s) => [s.stdout, s.stderr])

describe('the plan workflow on a pull request', () => {
  let validate: Finished
  let plan: Awaited<ReturnType<typeof runAction>>
  let gh: ReturnType<typeof githubEnv>
  let pr: ReturnType<typeof fakeGithub>
  beforeAll(async () => {
    world.scene(WITH_RESTART)
    pr = fakeGithub(world.scratch())
    gh = githubEnv(world, pr.env)
    validate = await runScript(stepRun(planWorkflow, 'plan', 'validate'), {cwd: world.repo, env: gh.env})
    plan = await runAction(world, actionInputs(planWorkflow, 'plan', 'plan'), {
      env: gh.env,
      pullRequest: PULL_REQUEST,
      ghBin: pr.bin,
    })
  })

  it('validates, and counts "there are changes" (exit 2) as a successful step', () => {
    expect(validate.code, validate.stderr).toBe(0)
    expect(plan.code, plan.steps['run']?.stderr).toBe(0)
    expect(plan.outputs).toMatchObject({'exit-code': '2', 'has-changes': 'true', 'plan-digest': planDigest()})
  })

  it('writes the comment to plan.md: the marker line first, the restart stated', () => {
    const markdown = world.read('plan.md')
    expect(markdown.split('\n')[0]).toMatch(MARKER_LINE)
    expect(markdown).toContain('### ⚠️ Restarts (1)')
    expect(markdown).toContain(`\`${BOT.drifted}\``)
  })

  it("carries plan.json's plan_digest in the marker", () => {
    const digest = MARKER_LINE.exec(world.read('plan.md').split('\n')[0]!)?.[1]
    expect(digest).toBe(planDigest())
  })

  it('appends the plan, marker and restarts included, to the step summary', () => {
    const summary = readFileSync(gh.summary, 'utf8')
    expect(summary.split('\n')[0]).toBe(`<!-- recallctl-plan v1 digest=${planDigest()} -->`)
    expect(summary).toContain('### ⚠️ Restarts (1)')
    expect(summary.trimEnd()).toBe(world.read('plan.md').trimEnd())
  })

  it('registers ::add-mask:: for the API key and every ${env:} value, on stderr only', () => {
    const stderr = plan.steps['run']!.stderr.split('\n')
    for (const secret of SECRETS) expect(stderr).toContain(`::add-mask::${secret}`)
    expect(world.read('plan.md')).not.toContain('::add-mask::')
    expect(readFileSync(gh.summary, 'utf8')).not.toContain('::add-mask::')
  })

  it('lets no secret reach any output, file or comment, apart from the mask commands', () => {
    const outputs: Record<string, string> = {
      'validate stdout': validate.stdout,
      'validate stderr': validate.stderr,
      'action steps': texts(plan.steps).join('\n'),
      'plan.md': world.read('plan.md'),
      'plan.json': world.read('plan.json'),
      'step summary': readFileSync(gh.summary, 'utf8'),
      outputs: JSON.stringify(plan.outputs),
      comments: JSON.stringify(pr.comments()),
    }
    for (const [where, text] of Object.entries(outputs))
      for (const secret of SECRETS) expect(withoutMaskCommands(text), where).not.toContain(secret)
    // The values were there to leak: they show redacted where the recordings use them.
    expect(world.read('plan.json')).toContain('"url": "https://hooks.example.com/recall?token=<redacted>"')
    expect(world.read('plan.json')).toContain('"token": "<redacted>"')
  })

  it('keeps one comment on the pull request and updates it in place on the next push', async () => {
    expect(pr.comments()).toHaveLength(1)
    expect(pr.comments()[0]!.body.startsWith(world.read('plan.md'))).toBe(true)
    const again = await runAction(world, actionInputs(planWorkflow, 'plan', 'plan'), {
      env: githubEnv(world, {...pr.env, GITHUB_RUN_ID: '102'}).env,
      pullRequest: PULL_REQUEST,
      ghBin: pr.bin,
    })
    expect(again.code).toBe(0)
    expect(pr.comments()).toHaveLength(1)
    expect(pr.comments()[0]!.body).toContain('<!-- recallctl-plan-run run_id=102 -->')
  })
})

describe('the plan workflow when the plan fails', () => {
  it('fails the step with exit 1 but still comments the plan, errors included', async () => {
    world.scene(WITH_RESTART)
    const pr = fakeGithub(world.scratch())
    const {HOOK_TOKEN: _unset, ...withoutHookToken} = githubEnv(world, pr.env).env
    const result = await runAction(world, actionInputs(planWorkflow, 'plan', 'plan'), {
      env: withoutHookToken,
      pullRequest: PULL_REQUEST,
      ghBin: pr.bin,
    })
    expect(result.code).toBe(1)
    expect(result.steps['result']?.stdout).toContain('::error title=recallctl plan::recallctl plan failed (exit 1)')
    expect(result.outputs['exit-code']).toBe('1')
    expect(world.read('plan.md').split('\n')[0]).toMatch(MARKER_LINE)
    expect(pr.comments()[0]?.body).toContain('HOOK\\_TOKEN')
    expect(world.startRecordingCalls()).toEqual([])
  })
})

describe('the apply workflow on push to main', () => {
  it('applies a plan of starts with --auto-approve, and the next push has nothing to apply', async () => {
    world.scene(STARTS_ONLY)
    const plan = await runAction(world, actionInputs(applyWorkflow, 'apply', 'plan'), {env: githubEnv(world).env})
    expect(plan.code, plan.steps['run']?.stderr).toBe(0)
    expect(plan.outputs['has-changes']).toBe('true')
    const apply = await runAction(world, actionInputs(applyWorkflow, 'apply', 'Apply'), {env: githubEnv(world).env})
    expect(apply.code, apply.steps['run']?.stderr).toBe(0)
    expect(apply.steps['run']?.stdout).toContain('Apply complete: 1 started, 0 restarted')
    expect(world.startRecordingCalls()).toEqual([startCallFor(BOT.idle)])

    const again = await runAction(world, actionInputs(applyWorkflow, 'apply', 'plan'), {env: githubEnv(world).env})
    expect(again.code).toBe(0)
    expect(again.outputs['has-changes']).toBe('false')
    for (const text of [...texts(plan.steps), ...texts(apply.steps)])
      for (const secret of SECRETS) expect(withoutMaskCommands(text)).not.toContain(secret)
  })

  it('refuses a plan that restarts a recording, before any call, naming the bot', async () => {
    world.scene(WITH_RESTART)
    expect((await runAction(world, actionInputs(applyWorkflow, 'apply', 'plan'), {env: githubEnv(world).env})).code).toBe(0)
    const apply = await runAction(world, actionInputs(applyWorkflow, 'apply', 'Apply'), {env: githubEnv(world).env})
    expect(apply.code).toBe(1)
    expect(apply.steps['run']?.stderr).toContain(`the plan restarts the running recording of bot ${BOT.drifted}`)
    expect(apply.steps['run']?.stderr).toContain('--allow-restart')
    expect(world.startRecordingCalls()).toEqual([])
  })
})

describe('the apply workflow by hand: the plan reviewed on a pull request', () => {
  /** The pull request's plan run: plan.json, plan.md and the comment; then the find step's outputs. */
  async function reviewedPlan(merged = true) {
    world.scene(WITH_RESTART)
    const github = fakeGithub(world.scratch())
    const result = await runAction(world, actionInputs(planWorkflow, 'plan', 'plan'), {
      env: githubEnv(world, {...github.env, GITHUB_RUN_ID: '5150'}).env,
      pullRequest: PULL_REQUEST,
      ghBin: github.bin,
    })
    expect(result.code, result.steps['run']?.stderr).toBe(0)
    const pr = new FakePullRequest(21, merged)
    for (const comment of github.comments())
      pr.addComment(comment.body, {login: comment.user.login, type: comment.user.type as 'Bot' | 'User'})
    return pr.run(FIND_REVIEWED_SCRIPT, {PR_NUMBER: '21'})
  }

  const applyReviewed = (digest: string, allowRestart: boolean) =>
    runAction(
      world,
      actionInputs(applyWorkflow, 'apply-reviewed', 'Apply the reviewed plan', {
        'steps.reviewed.outputs.digest': digest,
        "inputs.allow_restart && ' --allow-restart' || ''": allowRestart ? ' --allow-restart' : '',
      }),
      {env: githubEnv(world).env},
    )

  it("reads the digest and the plan run from the pull request's comment", async () => {
    const found = await reviewedPlan()
    expect(found.failed).toBeUndefined()
    expect(found.outputs).toEqual({digest: planDigest(), run_id: '5150'})
  })

  it('stops when the pull request is not merged yet', async () => {
    const found = await reviewedPlan(false)
    expect(found.failed).toContain('Pull request #21 is not merged')
    expect(found.outputs).toEqual({})
  })

  it('refuses a plan whose digest is not the reviewed one: exit 1, no start_recording call', async () => {
    await reviewedPlan()
    const apply = await applyReviewed(WRONG_DIGEST, true)
    expect(apply.code).toBe(1)
    expect(apply.steps['run']?.stderr).toContain('--expect-digest')
    expect(apply.steps['run']?.stderr).toContain(`${planDigest()}, not the reviewed ${WRONG_DIGEST}`)
    expect(world.startRecordingCalls()).toEqual([])
  })

  it('refuses the restart unless the reviewer ticked allow_restart', async () => {
    const found = await reviewedPlan()
    const apply = await applyReviewed(found.outputs['digest']!, false)
    expect(apply.code).toBe(1)
    expect(apply.steps['run']?.stderr).toContain(BOT.drifted)
    expect(world.startRecordingCalls()).toEqual([])
  })

  it('applies exactly the reviewed plan with the right digest and allow_restart', async () => {
    const found = await reviewedPlan()
    const apply = await applyReviewed(found.outputs['digest']!, true)
    expect(apply.code, apply.steps['run']?.stderr).toBe(0)
    expect(apply.steps['run']?.stdout).toContain('Apply complete: 1 started, 1 restarted')
    expect(apply.outputs['plan-digest']).toBe(found.outputs['digest'])
    expect(world.startRecordingCalls().sort()).toEqual([startCallFor(BOT.idle), startCallFor(BOT.drifted)].sort())
    for (const text of texts(apply.steps)) for (const secret of SECRETS) expect(withoutMaskCommands(text)).not.toContain(secret)
  })
})

describe('::add-mask:: commands', () => {
  it('escape % so that the runner registers the secret itself, not an unescaped variant', () => {
    // The runner turns %25 into %, and %0A into a newline, in command data.
    expect(maskCommands(['ab%0Acd'])).toBe('::add-mask::ab%250Acd')
    expect(maskCommands(['100%'])).toBe('::add-mask::100%25')
  })

  it('mask a multi-line secret line by line, and skip blank lines', () => {
    expect(maskCommands(['-----BEGIN KEY-----\nMIIE\r\n\n-----END KEY-----']).split('\n')).toEqual([
      '::add-mask::-----BEGIN KEY-----',
      '::add-mask::MIIE',
      '::add-mask::-----END KEY-----',
    ])
  })
})
