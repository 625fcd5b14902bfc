import {execFileSync} from 'node:child_process'
import {describe, expect, it} from 'vitest'
import type {Plan} from '../../src/plan/types.js'
import {defaultRecordings, runCli, seededProject, type TestProject} from '../support/e2e.js'

/*
 * plan --compare-ref in a real git repository: a profile is committed and applied, then edited in the
 * working tree; the plan finds the running recordings' body at HEAD and shows only what changed.
 */

function gitIn(project: TestProject, ...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=recallctl tests', '-c', 'user.email=tests@example.com', '-c', 'commit.gpgsign=false', ...args],
    {
      cwd: project.dir,
      env: {PATH: process.env['PATH'] ?? '', HOME: project.dir, GIT_CONFIG_NOSYSTEM: '1'},
      encoding: 'utf8',
    },
  )
}

async function appliedRepository(bots: number) {
  const world = await seededProject(bots)
  gitIn(world.project, 'init', '--quiet', '--initial-branch=main')
  gitIn(world.project, 'add', 'recall.config.yaml', 'recordings')
  gitIn(world.project, 'commit', '--quiet', '-m', 'recordings: profile e2e')
  const applied = await runCli(world.project, ['apply', '--auto-approve'])
  expect(applied.code, applied.stderr).toBe(0)
  return world
}

describe('plan --compare-ref', () => {
  it('shows the one field an edit changed, with the count of hidden fields', async () => {
    const {project, ids} = await appliedRepository(3)
    project.write('recordings/e2e.yaml', defaultRecordings(ids, 2160))

    const human = await runCli(project, ['plan', '--compare-ref', 'HEAD'])
    expect(human.code, human.stderr).toBe(0)
    expect(human.stdout).toContain('~ retention.hours: 24 → 2160')
    expect(human.stdout).toMatch(/# \(\d+ unchanged fields hidden\)/)
    expect(human.stdout).toContain('(the config at HEAD)')
    expect(human.stdout).not.toContain('configuration is unknown')
    // One group for the three bots: the diff is shown once.
    expect(human.stdout.match(/retention\.hours/g)).toHaveLength(1)
    for (const id of ids) expect(human.stdout).toContain(id)

    const json = await runCli(project, ['plan', '--compare-ref', 'HEAD', '--json'])
    const plan = JSON.parse(json.stdout) as Plan & {changes: Array<{before: {body?: unknown}}>}
    for (const change of plan.changes) {
      expect(change.action).toBe('restart')
      expect(change.field_diff?.changes).toEqual([{path: 'retention.hours', kind: 'changed', before: 24, after: 2160}])
      expect(change.before.body).toMatchObject({retention: {type: 'timed', hours: 24}})
    }
  })

  it('compares with HEAD by default, and with the pull request base in CI (HEAD, said, when the base is not fetched)', async () => {
    const {project, ids} = await appliedRepository(1)
    project.write('recordings/e2e.yaml', defaultRecordings(ids, 48))
    const byDefault = await runCli(project, ['plan'])
    expect(byDefault.code, byDefault.stderr).toBe(0)
    expect(byDefault.stdout).toContain('~ retention.hours: 24 → 48')

    gitIn(project, 'branch', 'base')
    const github = await runCli(project, ['plan'], {env: {GITHUB_BASE_REF: 'base', GITHUB_ACTIONS: 'true', CI: 'true'}})
    expect(github.code, github.stderr).toBe(0)
    expect(github.stdout).toContain('the pull request\'s base "origin/base" is not in this clone')
    expect(github.stdout).toContain('~ retention.hours: 24 → 48')

    const gitlab = await runCli(project, ['plan'], {
      env: {CI_MERGE_REQUEST_DIFF_BASE_SHA: gitIn(project, 'rev-parse', 'base').trim(), GITLAB_CI: 'true', CI: 'true'},
    })
    expect(gitlab.code, gitlab.stderr).toBe(0)
    expect(gitlab.stdout).toContain('~ retention.hours: 24 → 48')
    expect(gitlab.stdout).not.toContain('not in this clone')
  })

  it('finds the body in the history of the config files when the ref no longer has it', async () => {
    const {project, ids} = await appliedRepository(1)
    project.write('recordings/e2e.yaml', defaultRecordings(ids, 100))
    gitIn(project, 'commit', '--quiet', '-am', 'retention 100')
    project.write('recordings/e2e.yaml', defaultRecordings(ids, 200))

    const result = await runCli(project, ['plan', '--compare-ref', 'HEAD'])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('~ retention.hours: 24 → 200')
    expect(result.stdout).toMatch(/the config at commit [0-9a-f]{12}/)
  })

  it('says so, and shows the desired body, with --compare-ref none', async () => {
    const {project, ids} = await appliedRepository(1)
    project.write('recordings/e2e.yaml', defaultRecordings(ids, 48))
    const result = await runCli(project, ['plan', '--compare-ref', 'none'])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain("the running recording's configuration is unknown")
    expect(result.stdout).not.toContain('retention.hours:')
  })

  it('refuses a ref that names no commit in one sentence, before reading Recall', async () => {
    const {project, sandbox} = await appliedRepository(1)
    const before = sandbox.requests().length
    for (const ref of ['no-such-branch', '--output=/tmp/x']) {
      const result = await runCli(project, ['plan', `--compare-ref=${ref}`])
      expect(result.code).toBe(1)
      expect(result.stderr).toContain(`--compare-ref ${JSON.stringify(ref)} names no commit in this repository`)
      expect(result.stderr).not.toMatch(/\n\s+at /)
    }
    expect(sandbox.requests().length).toBe(before)
  })
})
