import {existsSync, readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {
  EXAMPLE_PIPELINES,
  EXAMPLES_DIR,
  GITHUB_APPLY,
  GITHUB_PLAN,
  GITLAB_CI,
  exampleText,
  githubJob,
  githubScript,
  githubStep,
  gitlabJob,
  parseExample,
  type GithubStep,
} from './support/examples.js'

/** The header: the comment lines before the first line of YAML. */
const header = (file: string): string => {
  const lines = exampleText(file).split('\n')
  return lines
    .slice(
      0,
      lines.findIndex((l) => l.trim() !== '' && !l.startsWith('#')),
    )
    .join('\n')
}

const allSteps = (workflow: Record<string, unknown>): GithubStep[] =>
  Object.keys(workflow['jobs'] as object).flatMap((job) => githubJob(workflow, job).steps)

describe('every example pipeline', () => {
  it.each(EXAMPLE_PIPELINES)('%s is valid YAML (no duplicate keys) and a mapping', (file) => {
    const doc = parseExample(file)
    expect(typeof doc).toBe('object')
    expect(Array.isArray(doc)).toBe(false)
  })

  it.each(EXAMPLE_PIPELINES)('%s validates, and plans with --out and --detailed-exitcode', (file) => {
    const text = exampleText(file)
    expect(text).toContain('npx recallctl validate')
    // GitLab runs the command; GitHub through the recallctl action, which adds those flags itself.
    if (file === GITLAB_CI) expect(text).toMatch(/npx recallctl plan --out plan\.json .*--detailed-exitcode/)
    else expect(text).toMatch(/uses: recallctl\/recallctl@v\d+\n(?:.*\n)*? {10}command: plan\n/)
  })

  it('the examples README links only to files that exist', () => {
    const readme = readFileSync(`${EXAMPLES_DIR}README.md`, 'utf8')
    for (const [, target] of readme.matchAll(/\]\(([^)#]+)(?:#[^)]*)?\)/g))
      if (!/^https?:/.test(target!)) expect(existsSync(`${EXAMPLES_DIR}${target}`), target).toBe(true)
  })
})

describe('GitHub Actions: both workflows', () => {
  const workflows = [GITHUB_PLAN, GITHUB_APPLY].map((file) => [file, parseExample(file)] as const)

  it.each(workflows)('%s pins every action to a version', (_file, workflow) => {
    for (const step of allSteps(workflow))
      if (step.uses) expect(step.uses).toMatch(/^(actions\/[a-z-]+|recallctl\/recallctl)@(v\d+|[0-9a-f]{40})$/)
  })

  it.each(workflows)('%s keeps ${{ }} expressions out of shell scripts (passed through env: instead)', (_file, workflow) => {
    for (const step of allSteps(workflow)) if (step.run) expect(step.run).not.toContain('${{')
  })

  it.each(workflows)(
    '%s maps every secret it uses into env under the same name, and only those its header lists',
    (file, workflow) => {
      const used = [...exampleText(file).matchAll(/secrets\.([A-Z0-9_]+)/g)].map((m) => m[1]!)
      expect(used.length).toBeGreaterThan(0)
      for (const name of used) {
        expect(header(file)).toContain(name)
        expect(exampleText(file)).toContain(`${name}: \${{ secrets.${name} }}`)
      }
      expect(workflow['permissions']).toBeDefined()
    },
  )

  it.each(workflows)(
    "%s gives secrets to the steps that need them, never to a job's env (npm scripts and actions read it)",
    (_file, workflow) => {
      for (const job of Object.keys(workflow['jobs'] as object)) {
        expect(JSON.stringify(githubJob(workflow, job).env ?? {}), job).not.toContain('secrets.')
        for (const step of githubJob(workflow, job).steps)
          if (JSON.stringify(step.env ?? {}).includes('secrets.')) expect(step.uses, step.name).toMatch(/^recallctl\/recallctl@/)
      }
    },
  )

  it.each(workflows)('%s sets up Node 20 and installs with npm ci before running recallctl', (_file, workflow) => {
    for (const job of Object.keys(workflow['jobs'] as object)) {
      const steps = githubJob(workflow, job).steps
      const at = (predicate: (s: GithubStep) => boolean) => steps.findIndex(predicate)
      const checkout = at((s) => s.uses?.startsWith('actions/checkout@') ?? false)
      const node = at((s) => s.uses?.startsWith('actions/setup-node@') ?? false)
      const install = at((s) => s.run?.trim() === 'npm ci')
      const first = at((s) => s.run?.includes('npx recallctl') ?? false)
      expect([checkout, node, install].every((i) => i >= 0)).toBe(true)
      expect(checkout).toBeLessThan(node)
      expect(node).toBeLessThan(install)
      expect(install).toBeLessThan(first)
      expect(String(steps[node]!.with?.['node-version'])).toBe('20')
    }
  })
})

describe('GitHub Actions: the plan workflow', () => {
  const workflow = parseExample(GITHUB_PLAN)

  it('runs on pull requests with the least permissions a comment needs', () => {
    expect(workflow['on']).toHaveProperty('pull_request')
    expect(workflow['permissions']).toEqual({contents: 'read', 'pull-requests': 'write'})
  })

  it('validates, plans to plan.json and plan.md, uploads plan.json and comments', () => {
    expect(githubStep(workflow, 'plan', 'validate').run).toBe('npx recallctl validate')
    const plan = githubStep(workflow, 'plan', 'plan')
    expect(plan.uses).toMatch(/^recallctl\/recallctl@/)
    expect(plan.with).toEqual({command: 'plan', comment: true})
    expect(plan.if).toContain('!cancelled()')
    const upload = githubJob(workflow, 'plan').steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))
    expect(upload?.with?.['path']).toBe('plan.json')
    expect(upload?.if).toContain('!cancelled()')
  })

  it('skips pull requests from forks, which get neither secrets nor a token that may comment', () => {
    expect(githubJob(workflow, 'plan').if).toBe('github.event.pull_request.head.repo.full_name == github.repository')
  })
})

describe('GitHub Actions: the apply workflow', () => {
  const workflow = parseExample(GITHUB_APPLY)

  it('applies on push to main, and by hand', () => {
    expect(workflow['on']).toMatchObject({
      push: {branches: ['main']},
      workflow_dispatch: {inputs: {pull_request: {required: true}, allow_restart: {type: 'boolean', default: false}}},
    })
  })

  it('never runs two applies on a workspace at once, and never cancels one', () => {
    const concurrency = workflow['concurrency'] as {group: string; 'cancel-in-progress': boolean}
    expect(concurrency.group).toMatch(/^recallctl-apply-\$\{\{ vars\.RECALL_WORKSPACE \|\| '[a-z-]+' \}\}$/)
    expect(concurrency['cancel-in-progress']).toBe(false)
  })

  it('grants no write permission: the apply writes to Recall, not to GitHub', () => {
    const permissions = workflow['permissions'] as Record<string, string>
    expect(Object.values(permissions).every((p) => p === 'read')).toBe(true)
    expect(permissions['contents']).toBe('read')
  })

  it('on push: plans to plan.json, then applies that file with --auto-approve, only when there are changes', () => {
    expect(githubJob(workflow, 'apply').if).toBe("github.event_name == 'push'")
    expect(githubStep(workflow, 'apply', 'plan').with).toEqual({command: 'plan'})
    const apply = githubStep(workflow, 'apply', 'Apply')
    expect(apply.uses).toMatch(/^recallctl\/recallctl@/)
    expect(apply.with).toEqual({command: 'apply', args: 'plan.json --auto-approve'})
    expect(apply.if).toBe("steps.plan.outputs.has-changes == 'true'")
  })

  it('passes --allow-restart only in the manual job, only when the reviewer ticked allow_restart', () => {
    expect(JSON.stringify(githubJob(workflow, 'apply').steps)).not.toContain('allow-restart')
    const manual = githubStep(workflow, 'apply-reviewed', 'Apply the reviewed plan')
    expect(manual.with?.['args']).toContain("${{ inputs.allow_restart && ' --allow-restart' || '' }}")
  })

  it("by hand: applies the pull request's plan artifact with --expect-digest from its comment marker", () => {
    expect(githubJob(workflow, 'apply-reviewed').if).toContain("github.event_name == 'workflow_dispatch'")
    const find = githubScript(githubStep(workflow, 'apply-reviewed', 'reviewed'))
    expect(find).toContain('<!-- recallctl-plan v1 digest=')
    const download = githubStep(workflow, 'apply-reviewed', 'Download the reviewed plan file')
    expect(download.uses).toMatch(/^actions\/download-artifact@/)
    expect(download.with).toMatchObject({
      'run-id': '${{ steps.reviewed.outputs.run_id }}',
      name: 'recallctl-plan-pr-${{ inputs.pull_request }}',
    })
    const manual = githubStep(workflow, 'apply-reviewed', 'Apply the reviewed plan')
    expect(manual.uses).toMatch(/^recallctl\/recallctl@/)
    expect(manual.with?.['command']).toBe('apply')
    expect(manual.with?.['args']).toMatch(
      /^plan\.json --auto-approve --expect-digest \$\{\{ steps\.reviewed\.outputs\.digest \}\}/,
    )
  })

  it('names the artifact the plan workflow uploads', () => {
    const upload = githubJob(parseExample(GITHUB_PLAN), 'plan').steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))
    expect(upload?.with?.['name']).toBe('recallctl-plan-pr-${{ github.event.pull_request.number }}')
  })
})

describe('GitLab CI', () => {
  const pipeline = parseExample(GITLAB_CI)
  const script = (job: string) => gitlabJob(pipeline, job).script.join('\n')

  it('has the stages and a Node 20 image', () => {
    expect(pipeline['stages']).toEqual(['validate', 'plan', 'apply'])
    expect((pipeline['default'] as {image: string}).image).toBe('node:20')
  })

  it('plans on merge requests and keeps plan.md and plan.json as artifacts', () => {
    const plan = gitlabJob(pipeline, 'recallctl:plan')
    expect(plan.rules).toEqual([{if: '$CI_PIPELINE_SOURCE == "merge_request_event"'}])
    expect(script('recallctl:plan')).toContain(
      'npx recallctl plan --out plan.json --format markdown --detailed-exitcode > plan.md',
    )
    expect(plan.artifacts).toMatchObject({when: 'always', paths: ['plan.md', 'plan.json']})
  })

  it('applies on the default branch, one apply per workspace at a time (resource_group)', () => {
    for (const job of ['recallctl:apply', 'recallctl:apply-restarts']) {
      const apply = gitlabJob(pipeline, job)
      expect(apply.resource_group).toBe('recallctl-apply-$RECALL_WORKSPACE')
      expect(apply.rules?.[0]?.['if']).toBe('$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $CI_PIPELINE_SOURCE == "push"')
      expect(script(job)).toContain('npx recallctl apply plan.json --auto-approve')
    }
  })

  it('restarts only from the manual job', () => {
    expect(script('recallctl:apply')).not.toContain('allow-restart')
    expect(gitlabJob(pipeline, 'recallctl:apply').variables?.['RECALLCTL_ALLOW_RESTART']).toBeUndefined()
    expect(gitlabJob(pipeline, 'recallctl:apply-restarts').rules?.[0]).toMatchObject({when: 'manual'})
    expect(script('recallctl:apply-restarts')).toContain('--allow-restart')
  })

  it('plans with an unprotected key: merge-request pipelines get no Protected variable', () => {
    expect(gitlabJob(pipeline, 'recallctl:plan').variables).toEqual({RECALL_API_KEY: '$RECALL_PLAN_API_KEY'})
    for (const job of ['recallctl:apply', 'recallctl:apply-restarts'])
      expect(gitlabJob(pipeline, job).variables?.['RECALL_API_KEY']).toBeUndefined()
    expect(header(GITLAB_CI)).toMatch(/RECALL_PLAN_API_KEY[\s\S]*NOT Protected/)
  })

  it('updates its merge request note by the plan marker, only when given a token', () => {
    expect(script('recallctl:plan')).toContain('"<!-- recallctl-plan"')
    expect(script('recallctl:plan')).toContain('if [ -n "${RECALLCTL_NOTE_TOKEN:-}" ]')
    expect(header(GITLAB_CI)).toContain('RECALLCTL_NOTE_TOKEN')
  })
})
