import {existsSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import type {Command} from '@oclif/core'
import {globSync} from 'tinyglobby'
import {SHARED_ENV_FLAGS, flagEnv} from '../../src/cli/flag-env.js'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {hasPty, recallctl, recallctlOnPty} from './support/processes.js'
import {BOT, STARTS_ONLY, WITH_RESTART, openWorld, type World} from './support/world.js'

/** How recallctl behaves in a CI job: flags from RECALLCTL_* variables, no colour, no prompt. */

const ESC = '\u001b'
const COMMANDS_DIR = fileURLToPath(new URL('../../src/commands/', import.meta.url))
const WRONG_DIGEST = `v1:${'0'.repeat(32)}`

let world: World
beforeAll(async () => {
  world = await openWorld()
})
afterAll(async () => {
  await world?.close()
})

describe('every flag is settable from a variable that no other flag shares with another meaning', async () => {
  const files = globSync('*.ts', {cwd: COMMANDS_DIR}).sort()
  const commands = await Promise.all(
    files.map(
      async (file) =>
        [
          file.replace(/\.ts$/, ''),
          (await import(pathToFileURL(path.join(COMMANDS_DIR, file)).href)).default as typeof Command,
        ] as const,
    ),
  )
  const flagsOf = (command: typeof Command) => ({...command.baseFlags, ...command.flags}) as Record<string, {env?: string}>

  it('covers the commands the pipelines run', () => {
    expect(commands.map(([name]) => name)).toEqual(
      expect.arrayContaining(['validate', 'plan', 'show', 'apply', 'schema', 'sandbox', 'watch']),
    )
  })

  it.each(commands)('%s: RECALLCTL_<FLAG> for shared flags, RECALLCTL_<COMMAND>_<FLAG> for its own', (name, command) => {
    const flags = flagsOf(command)
    expect(Object.keys(flags).length).toBeGreaterThan(0)
    for (const [flag, definition] of Object.entries(flags)) expect(definition.env, `${name} --${flag}`).toBe(flagEnv(name, flag))
  })

  it('one variable never sets two different flags', () => {
    const owners = new Map<string, Set<string>>()
    for (const [, command] of commands)
      for (const [flag, definition] of Object.entries(flagsOf(command)))
        if (definition.env) owners.set(definition.env, (owners.get(definition.env) ?? new Set()).add(flag))
    for (const [variable, flags] of owners) expect([...flags], variable).toHaveLength(1)
    expect(SHARED_ENV_FLAGS).toEqual(expect.arrayContaining(['dir', 'no-color', 'auto-approve', 'target', 'exclude']))
  })
})

describe('command-specific variables do not leak into other commands', () => {
  it('RECALLCTL_PLAN_OUT saves the plan but does not make schema write into a directory', async () => {
    world.scene(STARTS_ONLY)
    const env = world.env({RECALLCTL_PLAN_OUT: 'plan.json'})
    const schema = await recallctl(['schema', 'config'], {cwd: world.repo, env})
    expect(schema.code, schema.stderr).toBe(0)
    expect(JSON.parse(schema.stdout)).toHaveProperty('$schema')
    expect(existsSync(path.join(world.repo, 'plan.json'))).toBe(false)
    const plan = await recallctl(['plan'], {cwd: world.repo, env})
    expect(plan.code, plan.stderr).toBe(0)
    expect(JSON.parse(world.read('plan.json'))).toHaveProperty('plan_digest')
  })

  it('RECALLCTL_PLAN_JSON switches plan to JSON, and leaves validate as text', async () => {
    world.scene(STARTS_ONLY)
    const env = world.env({RECALLCTL_PLAN_JSON: 'true'})
    const plan = await recallctl(['plan'], {cwd: world.repo, env})
    expect(plan.code, plan.stderr).toBe(0)
    expect(JSON.parse(plan.stdout)).toHaveProperty('format_version', 1)
    const validate = await recallctl(['validate'], {cwd: world.repo, env})
    expect(validate.code, validate.stderr).toBe(0)
    expect(validate.stdout).toContain('Valid: 2 files')
  })

  it('the old unprefixed RECALLCTL_OUT and RECALLCTL_JSON no longer change any command', async () => {
    world.scene(STARTS_ONLY)
    const env = world.env({RECALLCTL_OUT: 'plan.json', RECALLCTL_JSON: 'true', RECALLCTL_FORMAT: 'json'})
    const plan = await recallctl(['plan'], {cwd: world.repo, env})
    expect(plan.code, plan.stderr).toBe(0)
    expect(() => JSON.parse(plan.stdout)).toThrow()
    expect(existsSync(path.join(world.repo, 'plan.json'))).toBe(false)
  })
})

describe('RECALLCTL_* variables in place of flags', () => {
  it('RECALLCTL_PLAN_FORMAT, RECALLCTL_PLAN_DETAILED_EXITCODE and RECALLCTL_PLAN_OUT shape plan like --format, --detailed-exitcode and --out', async () => {
    world.scene(WITH_RESTART)
    const plain = await recallctl(['plan'], {cwd: world.repo, env: world.env()})
    expect(plain.code, plain.stderr).toBe(0)
    expect(() => JSON.parse(plain.stdout)).toThrow()

    const viaEnv = await recallctl(['plan'], {
      cwd: world.repo,
      env: world.env({RECALLCTL_PLAN_FORMAT: 'json', RECALLCTL_PLAN_DETAILED_EXITCODE: 'true', RECALLCTL_PLAN_OUT: 'plan.json'}),
    })
    expect(viaEnv.code, viaEnv.stderr).toBe(2)
    const printed = JSON.parse(viaEnv.stdout) as {plan_digest: string; summary: {start: number; restart: number}}
    expect(printed.summary).toMatchObject({start: 1, restart: 1})
    expect((JSON.parse(world.read('plan.json')) as {plan_digest: string}).plan_digest).toBe(printed.plan_digest)
  })

  it('RECALLCTL_DIR points at the project from anywhere', async () => {
    world.scene(WITH_RESTART)
    const elsewhere = world.scratch()
    const result = await recallctl(['validate'], {cwd: elsewhere, env: world.env({RECALLCTL_DIR: world.repo})})
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('Valid: 2 files')
  })

  it('RECALLCTL_APPLY_EXPECT_DIGEST guards apply like --expect-digest', async () => {
    world.scene(WITH_RESTART)
    expect((await recallctl(['plan', '--out', 'plan.json'], {cwd: world.repo, env: world.env()})).code).toBe(0)
    const apply = await recallctl(['apply', 'plan.json'], {
      cwd: world.repo,
      env: world.env({RECALLCTL_APPLY_EXPECT_DIGEST: WRONG_DIGEST, RECALLCTL_ALLOW_RESTART: 'true'}),
    })
    expect(apply.code).toBe(1)
    expect(apply.stderr).toContain(`not the reviewed ${WRONG_DIGEST}`)
    expect(world.startRecordingCalls()).toEqual([])
  })

  it('RECALLCTL_AUTO_APPROVE and RECALLCTL_ALLOW_RESTART let apply plan and apply unattended', async () => {
    world.scene(WITH_RESTART)
    const apply = await recallctl(['apply'], {
      cwd: world.repo,
      env: world.env({RECALLCTL_AUTO_APPROVE: 'true', RECALLCTL_ALLOW_RESTART: 'true'}),
    })
    expect(apply.code, apply.stderr).toBe(0)
    expect(apply.stdout).toContain('Apply complete: 1 started, 1 restarted')
    expect(world.startRecordingCalls()).toHaveLength(2)
  })

  it('a flag given on the command line wins over its variable', async () => {
    world.scene(WITH_RESTART)
    const result = await recallctl(['plan', '--format', 'markdown'], {
      cwd: world.repo,
      env: world.env({RECALLCTL_PLAN_FORMAT: 'json'}),
    })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout.startsWith('<!-- recallctl-plan v1 digest=')).toBe(true)
  })
})

describe('no prompt in CI', () => {
  it('apply without --auto-approve refuses instead of asking, with no call made (CI=true, no TTY)', async () => {
    world.scene(STARTS_ONLY)
    const apply = await recallctl(['apply'], {cwd: world.repo, env: world.env({CI: 'true'})})
    expect(apply.code).toBe(1)
    expect(apply.stderr).toContain('cannot ask for confirmation here (no TTY, or CI)')
    expect(world.startRecordingCalls()).toEqual([])
  })

  it.skipIf(!hasPty)('apply asks on a terminal, but not on a terminal in CI', async () => {
    world.scene(STARTS_ONLY)
    const person = await recallctlOnPty(['apply'], {
      cwd: world.repo,
      env: world.env({CI: ''}),
      prompt: 'Only "yes" is accepted',
      answer: 'no',
    })
    expect(person.prompted).toBe(true)
    expect(person.code).toBe(1)
    expect(person.stdout).toContain('Apply cancelled: nothing was applied.')
    expect(person.stdout).not.toMatch(/bug in recallctl/)

    const ci = await recallctlOnPty(['apply'], {
      cwd: world.repo,
      env: world.env({CI: 'true'}),
      prompt: 'Only "yes" is accepted',
      answer: 'yes',
    })
    expect(ci.prompted).toBe(false)
    expect(ci.code).toBe(1)
    expect(ci.stdout).toContain('cannot ask for confirmation here (no TTY, or CI)')
    expect(world.startRecordingCalls()).toEqual([])
  })
})

describe.skipIf(!hasPty)('no colour in CI, even on a terminal', () => {
  it('colours the plan on a terminal outside CI (the control)', async () => {
    world.scene(WITH_RESTART)
    const result = await recallctlOnPty(['plan'], {cwd: world.repo, env: world.env({CI: ''})})
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(ESC)
  })

  it.each<Record<string, string>>([{CI: 'true'}, {GITHUB_ACTIONS: 'true', CI: ''}, {GITLAB_CI: 'true', CI: ''}])(
    'prints no escape byte with %o',
    async (vars) => {
      world.scene(WITH_RESTART)
      const result = await recallctlOnPty(['plan'], {cwd: world.repo, env: world.env(vars)})
      expect(result.code).toBe(0)
      expect(result.stdout).toContain(BOT.drifted)
      expect(result.stdout).not.toContain(ESC)
    },
  )
})

describe('apply progress in CI', () => {
  it('is one plain line per bot, without escape bytes', async () => {
    world.scene(STARTS_ONLY)
    const apply = await recallctl(['apply', '--auto-approve'], {cwd: world.repo, env: world.env({CI: 'true'})})
    expect(apply.code, apply.stderr).toBe(0)
    expect(apply.stderr).toContain(`[1/1] started bot ${BOT.idle}`)
    expect(apply.stdout + apply.stderr).not.toContain(ESC)
  })
})
