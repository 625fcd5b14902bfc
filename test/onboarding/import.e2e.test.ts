import {randomUUID} from 'node:crypto'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {parse} from 'yaml'
import {describe, expect, test} from 'vitest'
import type {SandboxBotSeed} from '../../src/sandbox/index.js'
import {schemaErrors} from '../foundation/support/json-schema-check.js'
import {encodingsOf} from '../hostile/support/hostile.js'
import {isStartRecording, runCli, testProject, testSandbox} from '../support/e2e.js'

const REPO = fileURLToPath(new URL('../..', import.meta.url))
const recordingsSchema = JSON.parse(readFileSync(path.join(REPO, 'schemas', 'recordings.schema.json'), 'utf8')) as Record<
  string,
  unknown
>

const HOOK_SECRET = `hook-${randomUUID()}`
const METADATA_SECRET = `sk-live-${randomUUID()}`

/** Three create-time configs: a webhook URL with a token, a secret-named metadata key, and a plain one. */
const CONFIGS = [
  {
    retention: {type: 'timed', hours: 720},
    transcript: {provider: {recallai_streaming: {language_code: 'en'}}},
    realtime_endpoints: [
      {type: 'webhook', url: `https://hooks.example.com/recall?token=${HOOK_SECRET}&team=sales`, events: ['transcript.data']},
    ],
    metadata: {team: 'sales'},
  },
  {
    retention: {type: 'timed', hours: 720},
    video_mixed_layout: 'gallery_view_v2',
    video_separate_mp4: {},
    metadata: {team: 'support', api_key: METADATA_SECRET},
  },
  {
    retention: {type: 'timed', hours: 720},
    start_recording_on: 'call_join',
    metadata: {team: 'sales', tier: 'gold'},
  },
] as const

/** The value each variable must hold, by the part of the config it replaced. */
const SECRET_BY_PART: Record<string, string> = {token: HOOK_SECRET, team: 'sales', api_key: METADATA_SECRET}

/** 10 bots per config, each recording its create-time config since it joined (nobody called start_recording). */
function seeds(): SandboxBotSeed[] {
  return CONFIGS.flatMap((config, i) =>
    Array.from({length: 10}, () => ({
      id: randomUUID(),
      status: 'in_call_recording' as const,
      metadata: {group: `g${i}`},
      recording_config: structuredClone(config) as SandboxBotSeed['recording_config'],
    })),
  )
}

async function importProject(bots: SandboxBotSeed[]) {
  const sandbox = await testSandbox()
  sandbox.seed(bots)
  const project = testProject(sandbox, [], {recordings: '{}\n'})
  return {sandbox, project}
}

interface ImportJson {
  file: string
  profiles: Array<{name: string; extends?: string; bots: string[]}>
  variables: Array<{name: string; profile: string; where: string}>
  bots: Array<{bot_id: string; outlook: string; reason: string}>
  skipped: Array<{bot_id: string; reason: string}>
}

function variableValues(variables: ImportJson['variables']): Record<string, string> {
  return Object.fromEntries(
    variables.map((v) => {
      const part = /"([^"]+)"/.exec(v.where)?.[1] as string
      expect(SECRET_BY_PART, `no known value for ${v.name} (${v.where})`).toHaveProperty(part)
      return [v.name, SECRET_BY_PART[part] as string]
    }),
  )
}

describe('recallctl import', () => {
  test('30 bots, 3 configs → a valid file without secrets, ≤ 3 leaf profiles, and a plan with no changes', async () => {
    const bots = seeds()
    const {sandbox, project} = await importProject(bots)
    const result = await runCli(project, ['import', '--json'])
    expect(result.stderr).not.toMatch(/This is a bug/)
    expect(result.code).toBe(0)
    const report = JSON.parse(result.stdout) as ImportJson
    const file = path.join(project.dir, 'recordings', 'imported.yaml')
    const text = readFileSync(file, 'utf8')

    for (const secret of [HOOK_SECRET, METADATA_SECRET])
      for (const form of encodingsOf(secret)) {
        expect(text).not.toContain(form)
        expect(result.stdout + result.stderr).not.toContain(form)
      }

    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/recordings.schema.json')
    const written = parse(text) as {
      profiles: Record<string, Record<string, unknown>>
      assignments: Array<{profile: string; bots: string[]}>
    }
    expect(schemaErrors(recordingsSchema, written)).toEqual([])
    const leaves = new Set(written.assignments.map((a) => a.profile))
    expect(leaves.size).toBeLessThanOrEqual(3)
    expect(written.assignments.flatMap((a) => a.bots).sort()).toEqual(bots.map((b) => b.id).sort())
    // Bots with the same config share a profile.
    for (const assignment of written.assignments)
      expect(new Set(assignment.bots.map((id) => bots.find((b) => b.id === id)?.metadata?.['group'])).size).toBe(1)
    expect(report.variables.map((v) => v.name).sort()).toEqual([...new Set(text.match(/(?<=\$\{env:)[A-Z0-9_]+(?=\})/g))].sort())
    expect(report.bots.every((b) => b.outlook === 'adopted')).toBe(true)

    const validate = await runCli(project, ['validate'])
    expect(validate.code, validate.stdout + validate.stderr).toBe(0)

    const env = variableValues(report.variables)
    const plan = await runCli(project, ['plan', '--json', '--detailed-exitcode'], {env})
    expect(plan.code, plan.stderr).toBe(0)
    const planned = JSON.parse(plan.stdout) as {changes: Array<{bot_id: string; action: string; adopted: boolean}>}
    expect(planned.changes).toHaveLength(30)
    expect(planned.changes.every((c) => c.action === 'noop' && c.adopted)).toBe(true)
    expect(sandbox.requests().filter(isStartRecording)).toEqual([])
  })

  test('a bot whose recording was restarted since it joined is imported, and named with the reason plan will restart it', async () => {
    const bots = seeds().slice(0, 3)
    const restarted = {...bots[0]!, recordings: [{status: 'done' as const}, {status: 'processing' as const}]}
    const {project} = await importProject([restarted, ...bots.slice(1)])
    const result = await runCli(project, ['import'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(restarted.id)
    expect(result.stdout).toMatch(/2 recordings/)
    const env = variableValues(
      (JSON.parse((await runCli(project, ['import', '--json', '--force'])).stdout) as ImportJson).variables,
    )
    const plan = await runCli(project, ['plan', '--json'], {env})
    const planned = JSON.parse(plan.stdout) as {changes: Array<{bot_id: string; action: string}>}
    expect(planned.changes.filter((c) => c.action !== 'noop').map((c) => [c.bot_id, c.action])).toEqual([
      [restarted.id, 'restart'],
    ])
  })

  test('a selector that finds one config is written as the assignment', async () => {
    const bots = seeds()
    const {project} = await importProject(bots)
    const result = await runCli(project, ['import', '--match', 'metadata.group=g2', '--status', 'in_call_recording'])
    expect(result.code, result.stderr).toBe(0)
    const written = parse(readFileSync(path.join(project.dir, 'recordings', 'imported.yaml'), 'utf8')) as {
      assignments: unknown[]
      profiles: Record<string, unknown>
    }
    expect(written.assignments).toEqual([{profile: 'imported', match: {metadata: {group: 'g2'}, status: ['in_call_recording']}}])
    expect(written.profiles['imported']).toMatchObject({start_recording_on: 'call_join', metadata: {team: 'sales', tier: 'gold'}})
    const plan = await runCli(project, ['plan', '--detailed-exitcode'])
    expect(plan.code, plan.stdout + plan.stderr).toBe(0)
  })

  test('refuses to overwrite an existing file without --force, before reading any bot', async () => {
    const {sandbox, project} = await importProject(seeds().slice(0, 2))
    project.write('recordings/imported.yaml', '# mine\n{}\n')
    const refused = await runCli(project, ['import'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/recordings\/imported\.yaml already exists.*--force/)
    expect(readFileSync(path.join(project.dir, 'recordings', 'imported.yaml'), 'utf8')).toBe('# mine\n{}\n')
    expect(sandbox.requests().filter((e) => e.path.startsWith('/api/'))).toEqual([])
    const forced = await runCli(project, ['import', '--force'])
    expect(forced.code, forced.stderr).toBe(0)
    expect(readFileSync(path.join(project.dir, 'recordings', 'imported.yaml'), 'utf8')).toMatch(/^# yaml-language-server/)
  })
})
