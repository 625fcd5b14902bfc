import {readFileSync, readdirSync} from 'node:fs'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {flagSuggestions} from '../../src/cli/flag-suggestions.js'
import {REPO_ROOT} from '../gitops/support/examples.js'
import {hasPty, recallctl, recallctlOnPty} from '../gitops/support/processes.js'
import {emptyProject} from '../support/e2e.js'

/** oclif conventions: help, did-you-mean for commands and flags, shell completions. */

const homeDir = emptyProject({lifetime: 'suite'})
afterAll(() => homeDir.remove())
const home = homeDir.dir
const env = {PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, NODE_ENV: 'production', CI: 'true'}

const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '')
const cli = (args: string[]) => recallctl(args, {cwd: REPO_ROOT, env})

interface ManifestCommand {
  id: string
  summary?: string
  description?: string
  examples?: unknown[]
  hidden?: boolean
}
const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'oclif.manifest.json'), 'utf8')) as {
  commands: Record<string, ManifestCommand>
}
const commands = Object.values(manifest.commands).filter((c) => !c.hidden)

describe('help', () => {
  it('`help plan`, `plan --help` and `plan -h` print the same help', async () => {
    const [viaHelp, long, short] = await Promise.all([cli(['help', 'plan']), cli(['plan', '--help']), cli(['plan', '-h'])])
    for (const result of [viaHelp, long, short]) expect(result.code, result.stderr).toBe(0)
    expect(viaHelp.stdout).toContain('$ recallctl plan')
    expect(long.stdout).toBe(viaHelp.stdout)
    expect(short.stdout).toBe(viaHelp.stdout)
  })

  it('lists the environment variables that matter, and the variable of each flag', async () => {
    const plan = await cli(['plan', '--help'])
    const environment = plan.stdout.slice(plan.stdout.indexOf('ENVIRONMENT'), plan.stdout.indexOf('DESCRIPTION'))
    for (const name of ['RECALL_API_KEY', 'CI', 'NO_COLOR', 'DEBUG']) expect(environment).toMatch(new RegExp(`^  ${name} `, 'm'))
    expect(plan.stdout).toContain('env: RECALLCTL_PLAN_OUT')
    const validate = await cli(['validate', '--help'])
    expect(validate.stdout).toContain('ENVIRONMENT')
    expect(validate.stdout).not.toMatch(/^ {2}RECALL_API_KEY /m)
    const root = await cli(['--help'])
    expect(root.code).toBe(0)
    expect(root.stdout).toMatch(/^ENVIRONMENT\n {2}RECALL_API_KEY /m)
  })

  it.each(commands.map((c) => [c.id, c] as const))('%s has a summary, a description and examples', (_id, command) => {
    expect(command.summary ?? '').not.toBe('')
    expect(command.description ?? '').not.toBe('')
    expect(command.examples?.length ?? 0).toBeGreaterThan(0)
  })

  it.each(commands.map((c) => [c.id, c] as const))(
    '%s: the description is not hard-wrapped (help wraps it to the terminal)',
    (_id, command) => {
      const lines = (command.description ?? '').split('\n')
      lines.slice(0, -1).forEach((line, i) => {
        const next = lines[i + 1]!
        const ends = line === '' || next === '' || /[.:!?)]$/.test(line) || line.startsWith('  ') || next.startsWith('  ')
        expect(ends, `line ${i + 1} breaks mid-sentence: "${line}"`).toBe(true)
      })
    },
  )
})

describe('mistakes', () => {
  it('an unknown command exits 127 and points at help', async () => {
    const result = await cli(['plna'])
    expect(result.code).toBe(127)
    const text = stripAnsi(result.stderr)
    expect(text).toContain('plna is not a recallctl command')
    expect(text).toContain('recallctl help')
  })

  it.skipIf(!hasPty)('on a terminal, an unknown command asks "Did you mean plan?"', async () => {
    const result = await recallctlOnPty(['plna'], {cwd: REPO_ROOT, env: {...env, CI: ''}, prompt: 'Did you mean', answer: 'n'})
    expect(result.prompted).toBe(true)
    expect(stripAnsi(result.stdout)).toMatch(/Did you mean plan\?/)
  })

  it('a mistyped flag is refused with the flag it is probably', async () => {
    const result = await cli(['plan', '--detailed-exitcod'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('Nonexistent flag: --detailed-exitcod')
    expect(result.stderr).toContain('did you mean --detailed-exitcode?')
  })

  it('suggests close flag names only, including --no- forms', () => {
    const flags = {json: {}, 'rate-limits': {allowNo: true}, dir: {}}
    expect(flagSuggestions(['--jsn'], flags)).toEqual(['--jsn: did you mean --json?'])
    expect(flagSuggestions(['--no-rate-limit=1'], flags)).toEqual(['--no-rate-limit: did you mean --no-rate-limits?'])
    expect(flagSuggestions(['--completely-else'], flags)).toEqual([])
  })
})

describe('shell completions', () => {
  it.each(['bash', 'zsh'])('%s: autocomplete builds completions of every command and its flags', async (shell) => {
    const result = await cli(['autocomplete', shell])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain(`recallctl autocomplete script ${shell}`)
    const dir = path.join(home, '.cache', 'recallctl', 'autocomplete', 'functions', shell)
    const text = readdirSync(dir)
      .map((file) => readFileSync(path.join(dir, file), 'utf8'))
      .join('\n')
    for (const word of ['plan', 'apply', 'watch', 'detailed-exitcode', 'auto-approve']) expect(text).toContain(word)
  })

  it('fish: autocomplete fish prints completions of every command and its flags', async () => {
    const result = await cli(['autocomplete', 'fish'])
    expect(result.code, result.stderr).toBe(0)
    for (const command of commands.filter((c) => !c.id.includes(':')))
      expect(result.stdout).toContain(`-n '__fish_use_subcommand' -a '${command.id}'`)
    expect(result.stdout).toContain(
      "complete -c recallctl -n '__fish_seen_subcommand_from plan' -l format -s f -r -a 'human markdown json'",
    )
    expect(result.stdout).toContain("-n '__fish_seen_subcommand_from plan' -l detailed-exitcode")
  })
})
