import {describe, expect, test} from 'vitest'
import {withEndpointDefaults} from '../../src/recall/body-defaults.js'
import type {StartRecordingBody} from '../../src/recall/body-schema.js'
import type {ImportableBot} from '../../src/onboarding/import/bot-bodies.js'
import {buildImport} from '../../src/onboarding/import/build-import.js'
import {factorProfiles, fieldsOf} from '../../src/onboarding/import/factor-profiles.js'
import {canonicalJson} from '../../src/shared/canonical-json.js'
import {substituteEnv} from '../../src/shared/env-refs.js'
import {runProject, withConfig} from '../foundation/support/project.js'

const complete = (body: StartRecordingBody) => withEndpointDefaults(body)

const SHARED = {
  retention: {type: 'timed' as const, hours: 720},
  transcript: {
    provider: {recallai_streaming: {language_code: 'en' as const}},
    diarization: {use_separate_streams_when_available: true},
  },
  video_mixed_layout: 'gallery_view' as const,
  start_recording_on: 'call_join' as const,
  include_bot_in_recording: {audio: true},
}

const bot = (n: number, body: StartRecordingBody): ImportableBot => ({
  bot_id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  status: 'in_call_recording',
  metadata: {},
  body: complete(body),
  outlook: {kind: 'adopted', reason: ''},
})

/** Writes the import as the only recordings file, resolves it, and returns each bot's desired body with `env` substituted. */
function resolvedBodies(text: string, env: Record<string, string>): Map<string, string> {
  const run = runProject(withConfig({'recordings/imported.yaml': text}), {mode: 'plan', env})
  expect(run.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
  expect(run.diagnostics).toEqual([])
  const out = new Map<string, string>()
  for (const assignment of run.resolved.assignments) {
    const selector = assignment.selector
    if (selector.kind !== 'bots') continue
    for (const id of selector.bots) out.set(id, canonicalJson(substituteEnv(assignment.body, env)))
  }
  return out
}

describe('fieldsOf', () => {
  test('writes what differs from the endpoint defaults, and retention always', () => {
    expect(fieldsOf(complete({}))).toEqual({retention: {type: 'timed', hours: 168}})
    expect(fieldsOf(complete({video_mixed_mp4: null, video_mixed_layout: 'speaker_view', metadata: {a: 'b'}}))).toEqual({
      retention: {type: 'timed', hours: 168},
      video_mixed_mp4: null,
      metadata: {a: 'b'},
    })
  })
})

describe('factorProfiles', () => {
  test('one body: one profile, no base', () => {
    const factored = factorProfiles([complete(SHARED)])
    expect(factored.base).toBeUndefined()
    expect(factored.leaves).toEqual([fieldsOf(complete(SHARED))])
  })

  test('bodies sharing much: a base with the shared part, leaves with only what differs (down into metadata)', () => {
    const bodies = [
      complete({...SHARED, metadata: {team: 'sales', region: 'eu'}}),
      complete({...SHARED, metadata: {team: 'sales', region: 'us'}, audio_mixed_mp3: {}}),
      complete({...SHARED, metadata: {team: 'sales'}, retention: {type: 'forever'}}),
    ]
    const {base, leaves} = factorProfiles(bodies)
    expect(base).toEqual({
      retention: {type: 'timed', hours: 720},
      transcript: SHARED.transcript,
      video_mixed_layout: 'gallery_view',
      start_recording_on: 'call_join',
      include_bot_in_recording: {audio: true},
      metadata: {team: 'sales'},
    })
    expect(leaves).toEqual([
      {metadata: {region: 'eu'}},
      {metadata: {region: 'us'}, audio_mixed_mp3: {}},
      {retention: {type: 'forever'}},
    ])
  })

  test('no base when it would not shorten the file', () => {
    const {base, leaves} = factorProfiles([
      complete({retention: {type: 'forever'}, metadata: {a: '1'}}),
      complete({retention: {type: 'forever'}, metadata: {a: '2'}}),
    ])
    expect(base).toBeUndefined()
    expect(leaves).toHaveLength(2)
  })

  test('a replaced-whole value is never split between base and leaf', () => {
    const bodies = [
      complete({...SHARED, transcript: {provider: {recallai_streaming: {language_code: 'en', mode: 'prioritize_low_latency'}}}}),
      complete({...SHARED, transcript: {provider: {recallai_streaming: {language_code: 'en', mode: 'prioritize_accuracy'}}}}),
    ]
    const {base, leaves} = factorProfiles(bodies)
    expect(base).not.toHaveProperty('transcript.provider')
    for (const leaf of leaves) expect(leaf).toHaveProperty('transcript.provider.recallai_streaming.language_code', 'en')
  })
})

describe('buildImport', () => {
  const secretUrl = 'https://ops:pa55word@hooks.example.com/recall?token=tok%2Fen-1&flag#sig=abc'
  const bots = [
    bot(1, {...SHARED, metadata: {team: 'sales', region: 'eu'}}),
    bot(2, {...SHARED, metadata: {team: 'sales', region: 'eu'}}),
    bot(3, {
      ...SHARED,
      metadata: {team: 'sales', api_token: 'sk-very-secret'},
      realtime_endpoints: [{type: 'webhook', url: secretUrl, events: ['transcript.data']}],
    }),
    bot(4, {...SHARED, metadata: {team: 'sales'}, retention: {type: 'forever'}}),
  ]
  const result = buildImport(bots, {
    prefix: 'imp',
    selector: undefined,
    schemaPath: '../schemas/recordings.schema.json',
    source: 'test',
  })

  test('one leaf per distinct body, bots grouped, a shared base', () => {
    expect(result.profiles.map((p) => [p.name, p.extends, p.bots.length])).toEqual([
      ['imp-base', undefined, 0],
      ['imp-1', 'imp-base', 2],
      ['imp-2', 'imp-base', 1],
      ['imp-3', 'imp-base', 1],
    ])
  })

  test('no secret in the text; every secret is a variable whose value restores it', () => {
    for (const secret of ['ops:pa55word', 'pa55word', 'tok%2Fen-1', 'abc', 'sk-very-secret'])
      expect(result.text).not.toContain(secret)
    expect(result.variables.map((v) => v.name).sort()).toEqual([
      'IMPORT_IMP_2_METADATA_API_TOKEN',
      'IMPORT_IMP_2_WEBHOOK_SIG',
      'IMPORT_IMP_2_WEBHOOK_TOKEN',
      'IMPORT_IMP_2_WEBHOOK_USERINFO',
    ])
    expect(result.text).toContain(
      'hooks.example.com/recall?token=${env:IMPORT_IMP_2_WEBHOOK_TOKEN}&flag#sig=${env:IMPORT_IMP_2_WEBHOOK_SIG}',
    )
  })

  test('resolving the file with the variables set gives each bot exactly its body', () => {
    const env = Object.fromEntries(result.variables.map((v) => [v.name, v.value]))
    const resolved = resolvedBodies(result.text, env)
    for (const b of bots) expect(resolved.get(b.bot_id), b.bot_id).toBe(canonicalJson(b.body))
  })

  test('the same input gives the same file', () => {
    expect(
      buildImport([...bots].reverse(), {
        prefix: 'imp',
        selector: undefined,
        schemaPath: '../schemas/recordings.schema.json',
        source: 'test',
      }).text,
    ).toBe(result.text)
  })

  test('a selector is the assignment only when every bot shares one body', () => {
    const one = buildImport(bots.slice(0, 2), {
      prefix: 'imp',
      selector: {metadata: {team: 'sales'}, status: []},
      schemaPath: 's.json',
      source: 'test',
    })
    expect(one.assignedBy).toBe('match')
    expect(one.text).toMatch(/match: \{ metadata: \{ team: sales \} \}/)
    expect(
      buildImport(bots, {prefix: 'imp', selector: {metadata: {team: 'sales'}, status: []}, schemaPath: 's.json', source: 'test'})
        .assignedBy,
    ).toBe('bots')
  })
})
