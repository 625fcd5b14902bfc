import {execFileSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {expectSafe, hostileProject, type HostileProject} from './support/hostile.js'

/*
 * plan --compare-ref runs git with a ref the user (or the CI environment) chose: the ref is never an
 * option, never reaches a shell, and previous bodies read from history never print a secret.
 */

function gitIn(h: HostileProject, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd: h.project.dir,
    env: {PATH: process.env['PATH'] ?? '', HOME: h.project.dir, GIT_CONFIG_NOSYSTEM: '1'},
  })
}

const recordings = (ids: readonly string[], url: string, hours: number) =>
  [
    'profiles:',
    '  e2e:',
    `    retention: { type: timed, hours: ${hours} }`,
    `    realtime_endpoints: [{ type: webhook, url: "${url}", events: [participant_events.join] }]`,
    '    metadata: { team: e2e }',
    'assignments:',
    '  - profile: e2e',
    '    bots:',
    ...ids.map((id) => `      - ${id}`),
    '',
  ].join('\n')

describe('plan --compare-ref with hostile refs', () => {
  const refs = [
    '--output=pwned.txt',
    '-c',
    '--exec=touch pwned.txt',
    'HEAD; touch pwned.txt',
    '$(touch pwned.txt)',
    'HEAD\nfake: line',
    '',
  ]

  it.each(refs)('refuses %j in one sentence, before reading Recall, running nothing else', async (ref) => {
    const h = await hostileProject()
    gitIn(h, 'init', '--quiet')
    gitIn(h, 'add', '.')
    gitIn(h, 'commit', '--quiet', '-m', 'init')
    const result = await h.run(['plan', `--compare-ref=${ref}`])
    expectSafe(result, h, {exitCode: 1, requests: 'none', says: /--compare-ref .*(names no commit|is not a git ref)/})
    expect(existsSync(path.join(h.project.dir, 'pwned.txt'))).toBe(false)
  })

  it('refuses an explicit ref outside a git repository', async () => {
    const h = await hostileProject()
    const result = await h.run(['plan', '--compare-ref', 'HEAD'])
    expectSafe(result, h, {exitCode: 1, requests: 'none', says: /is not inside a git repository/})
  })
})

describe('plan --compare-ref never prints a secret from history', () => {
  it('shows the changed URL with its query values redacted on both sides', async () => {
    const SECRET_OLD = 'old-literal-token-5f1d'
    const SECRET_NEW = 'hook-env-value-77aa'
    const h = await hostileProject({bots: 1})
    h.write('recordings/e2e.yaml', recordings(h.ids, `https://hooks.example.com/r?token=${SECRET_OLD}`, 24))
    gitIn(h, 'init', '--quiet')
    gitIn(h, 'add', '.')
    gitIn(h, 'commit', '--quiet', '-m', 'init')
    const applied = await h.run(['apply', '--auto-approve'])
    expect(applied.code, applied.stderr).toBe(0)
    h.write('recordings/e2e.yaml', recordings(h.ids, 'https://hooks.example.com/r?token=${env:HOOK_TOKEN}', 24))

    for (const format of ['human', 'markdown', 'json']) {
      const result = await h.run(['plan', '--compare-ref', 'HEAD', '--format', format], {env: {HOOK_TOKEN: SECRET_NEW}})
      expectSafe(result, h, {exitCode: 0, requests: 'any', secrets: [SECRET_OLD, SECRET_NEW]})
      expect(result.stdout).toContain('realtime_endpoints[0].url')
      expect(result.stdout).toContain(format === 'json' ? '"redacted_difference": true' : 'differs in redacted values')
    }
  })
})
