import {readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {parse} from 'yaml'
import {describe, expect, test} from 'vitest'
import {ENDPOINT_DEFAULTS} from '../../src/recall/body-defaults.js'
import {
  REALTIME_ENDPOINT_TYPES,
  REALTIME_EVENTS_BY_TYPE,
  RETENTION_TYPES,
  TRANSCRIPT_PROVIDER_OPTIONS,
  type StartRecordingBody,
} from '../../src/recall/body-schema.js'
import {checkCrossFieldRules, RULE_CODES} from '../../src/recall/cross-field-rules.js'
import {CROSS_FIELD_RULES} from '../../src/recall/cross-field-rule-catalog.js'
import {schemaErrors} from '../foundation/support/json-schema-check.js'
import {runProject, withConfig} from '../foundation/support/project.js'
import {runCli, type TestProject} from '../support/e2e.js'

const REPO = fileURLToPath(new URL('../..', import.meta.url))
const recordingsSchema = JSON.parse(readFileSync(path.join(REPO, 'schemas', 'recordings.schema.json'), 'utf8')) as Json
type Json = Record<string, any>
const profileSchema = recordingsSchema['properties']['profiles']['additionalProperties'] as Json
const cwd: Pick<TestProject, 'dir' | 'env'> = {
  dir: REPO,
  env: {PATH: process.env['PATH'] ?? '', NODE_ENV: 'production', NO_COLOR: '1'},
}

interface Explanation {
  path: string
  description?: string
  default?: {value: unknown; from: string}
  variants: Array<{
    when?: string
    allowed?: unknown[]
    keys?: Array<{name: string; description?: string}>
    options?: Array<{keys?: Array<{name: string; type: string}>}>
  }>
  rules: Array<{code: string}>
  example_yaml: string
}

async function explain(field: string): Promise<Explanation> {
  const result = await runCli(cwd, ['explain', field, '--json'])
  expect(result.code, result.stderr).toBe(0)
  return JSON.parse(result.stdout) as Explanation
}

/** One body per rule between fields, so every rule fires at least once. */
const VIOLATING: StartRecordingBody[] = [
  {video_separate_mp4: {}},
  {realtime_endpoints: [{type: 'rtmp', url: 'rtmp://live.example.com/app', events: ['transcript.data'] as never}]},
  {transcript: {provider: {recallai_streaming: {mode: 'prioritize_low_latency', language_code: 'fr'}}}},
  {realtime_endpoints: [{type: 'websocket', url: 'wss://ws.example.com/x', events: ['audio_mixed_raw.data']}]},
  {realtime_endpoints: [{type: 'webhook', url: 'https://localhost/hook', events: []}]},
]

/** Codes of the rules whose violations point at the field or inside it: what explain must list. */
function rulesTouching(field: string): string[] {
  const codes = new Set<string>()
  for (const body of VIOLATING)
    for (const v of checkCrossFieldRules(body))
      if (
        v.paths.some((p) => {
          const dotted = p.filter((s) => typeof s === 'string').join('.')
          return dotted === field || dotted.startsWith(`${field}.`)
        })
      )
        codes.add(v.code)
  return [...codes].sort()
}

const crossFieldCodes = (e: Explanation) =>
  e.rules
    .map((r) => r.code)
    .filter((c) => (RULE_CODES as readonly string[]).includes(c))
    .sort()

function exampleIsValid(e: Explanation): void {
  const document = parse(e.example_yaml) as Json
  expect(schemaErrors(recordingsSchema, document)).toEqual([])
  const run = runProject(
    withConfig({
      'recordings/example.yaml': `${e.example_yaml}assignments: [{profile: my-profile, bots: [6e1f5adb-3340-4f50-900d-9aa2cdc53d6c]}]\n`,
    }),
  )
  expect(run.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
}

describe('recallctl explain', () => {
  test('every rule in the catalog fires on its fields', () => {
    const fired = new Set(VIOLATING.flatMap((b) => checkCrossFieldRules(b).map((v) => v.code)))
    expect([...fired].sort()).toEqual([...RULE_CODES].sort())
    for (const body of VIOLATING)
      for (const v of checkCrossFieldRules(body))
        for (const p of v.paths)
          expect(CROSS_FIELD_RULES[v.code].fields).toContain(p.filter((s) => typeof s === 'string').join('.'))
  })

  test('retention: its schema description, both shapes, the endpoint default, a valid example', async () => {
    const e = await explain('retention')
    expect(e.description).toBe(profileSchema['properties']['retention']['description'])
    expect(e.default).toEqual({value: ENDPOINT_DEFAULTS.retention, from: 'endpoint'})
    const shapes = e.variants[0]?.options ?? []
    expect(shapes.map((s) => JSON.parse(s.keys?.find((k) => k.name === 'type')?.type ?? 'null'))).toEqual([...RETENTION_TYPES])
    expect(crossFieldCodes(e)).toEqual(rulesTouching('retention'))
    expect(e.rules.map((r) => r.code)).toContain('retention_unset')
    exampleIsValid(e)
  })

  test('transcript.provider.recallai_streaming: its options, their descriptions, the low-latency rule', async () => {
    const e = await explain('transcript.provider.recallai_streaming')
    const node = profileSchema['properties']['transcript']['anyOf'][0]['properties']['provider']['properties'][
      'recallai_streaming'
    ] as Json
    expect(e.description).toBe(node['description'])
    expect(e.variants[0]?.keys?.map((k) => k.name)).toEqual(Object.keys(TRANSCRIPT_PROVIDER_OPTIONS.recallai_streaming.shape))
    for (const key of e.variants[0]?.keys ?? []) expect(key.description).toBe(node['properties'][key.name]['description'])
    expect(crossFieldCodes(e)).toEqual(rulesTouching('transcript.provider.recallai_streaming'))
    expect(crossFieldCodes(e)).not.toEqual([])
    exampleIsValid(e)
  })

  test('realtime_endpoints.events: the allowed events of each endpoint type, and the rules on events', async () => {
    const e = await explain('realtime_endpoints[0].events')
    expect(e.path).toBe('realtime_endpoints.events')
    expect(Object.fromEntries(e.variants.map((v) => [v.when, v.allowed]))).toEqual(
      Object.fromEntries(REALTIME_ENDPOINT_TYPES.map((type) => [`type: ${type}`, [...REALTIME_EVENTS_BY_TYPE[type]]])),
    )
    expect(crossFieldCodes(e)).toEqual(rulesTouching('realtime_endpoints.events'))
    exampleIsValid(e)
  })

  test('an unknown path is an error with a did-you-mean', async () => {
    const result = await runCli(cwd, ['explain', 'transcript.provider.recallai_streamin'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('Did you mean "transcript.provider.recallai_streaming"?')
    expect(result.stderr).not.toMatch(/This is a bug|at .*\.js:\d+/)
  })
})
