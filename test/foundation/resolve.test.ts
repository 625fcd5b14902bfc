import {createHash} from 'node:crypto'
import {describe, expect, test} from 'vitest'
import {BODY_FIELDS} from '../../src/recall/body-schema.js'
import {mergeLayers, type MergeLayer} from '../../src/resolve/merge.js'
import {resolveProject} from '../../src/resolve/resolve-project.js'
import {bodyDigest} from '../../src/shared/digest.js'
import {validateProject} from '../../src/validate/validate-project.js'
import {body, loadInMemory, runProject, withConfig, yaml, type ProjectFiles} from './support/project.js'
import {NOTES_DEFAULTS} from '../support/notes-defaults.js'

const BOT1 = '6e1f5adb-3340-4f50-900d-9aa2cdc53d6c'
const BOT2 = '0b7d2c4e-8f1a-4c3b-9e5d-2a6f8b1c3d4e'
const A = 'recordings/a.yaml'
const B = 'recordings/b.yaml'
const C = 'recordings/c.yaml'

/** Runs a project that must resolve without any error. */
function resolveClean(files: ProjectFiles, options: Parameters<typeof runProject>[1] = {}) {
  const run = runProject(files, options)
  expect(run.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
  return run
}

/** A three-level chain spread over three files: root → mid → leaf. */
const CHAIN: ProjectFiles = withConfig({
  [A]: yaml(
    'profiles:',
    '  root:',
    '    retention: {type: timed, hours: 720}',
    '    video_mixed_layout: gallery_view',
    '    start_recording_on: call_join',
    '    video_mixed_participant_video_when_screenshare: hide',
    '    metadata: {owner: root, tier: gold, region: eu}',
    '    transcript:',
    '      provider: {recallai_streaming: {language_code: en, mode: prioritize_accuracy}}',
    '      diarization: {use_separate_streams_when_available: true}',
    '    realtime_endpoints:',
    '      - {type: webhook, url: "https://a.example.com/1", events: [participant_events.join]}',
    '      - {type: webhook, url: "https://a.example.com/2", events: [participant_events.leave]}',
    '    video_mixed_mp4: {metadata: {kind: mixed, from: root}}',
    '    audio_mixed_mp3: {}',
  ),
  [B]: yaml(
    'profiles:',
    '  mid:',
    '    extends: root',
    '    video_mixed_layout: speaker_view',
    '    start_recording_on: participant_speak',
    '    metadata: {owner: mid, tier: null}',
    '    realtime_endpoints:',
    '      - {type: webhook, url: "https://b.example.com/only", events: [transcript.data]}',
    '    video_mixed_mp4: {metadata: {from: mid}}',
    '    audio_mixed_mp3: null',
    '    participant_events: null',
  ),
  [C]: yaml(
    'profiles:',
    '  leaf:',
    '    extends: mid',
    '    video_mixed_layout: audio_only',
    '    retention: {type: forever}',
    '    transcript:',
    '      provider: {deepgram_streaming: {model: nova-2}}',
    '    metadata: {owner: leaf, team: sales}',
    'assignments:',
    `  - {profile: leaf, bots: [${BOT1}], metadata: {deal: D-1, owner: null}}`,
    `  - {profile: leaf, bots: [${BOT2}]}`,
  ),
})

describe('inheritance', () => {
  const run = resolveClean(CHAIN)
  const root = body(run, 'root')
  const mid = body(run, 'mid')
  const leaf = body(run, 'leaf')

  test('the chain is recorded root first', () => {
    expect(run.resolved.profiles.find((p) => p.name === 'leaf')?.chain).toEqual(['root', 'mid', 'leaf'])
  })

  test('the nearest profile wins: leaf over mid over root', () => {
    expect([root['video_mixed_layout'], mid['video_mixed_layout'], leaf['video_mixed_layout']]).toEqual([
      'gallery_view',
      'speaker_view',
      'audio_only',
    ])
    // Set by mid only: inherited by leaf.
    expect(leaf['start_recording_on']).toBe('participant_speak')
    // Set by root only: inherited through mid.
    expect(leaf['video_mixed_participant_video_when_screenshare']).toBe('hide')
  })

  test('lists are replaced whole, never concatenated or merged by index', () => {
    expect(root['realtime_endpoints']).toHaveLength(2)
    expect(mid['realtime_endpoints']).toEqual([{type: 'webhook', url: 'https://b.example.com/only', events: ['transcript.data']}])
    expect(leaf['realtime_endpoints']).toEqual(mid['realtime_endpoints'])
  })

  test('maps merge key by key', () => {
    expect(mid['video_mixed_mp4']).toEqual({metadata: {kind: 'mixed', from: 'mid'}})
    // transcript: leaf replaces the provider but keeps root's diarization.
    expect(leaf['transcript']).toEqual({
      provider: {deepgram_streaming: {model: 'nova-2'}},
      diarization: {use_separate_streams_when_available: true},
    })
  })

  test('an explicit null turns an inherited or default-on artifact off', () => {
    expect(root['audio_mixed_mp3']).toEqual({})
    expect(mid['audio_mixed_mp3']).toBeNull()
    expect(leaf['audio_mixed_mp3']).toBeNull()
    expect(root['participant_events']).toEqual({})
    expect(leaf['participant_events']).toBeNull()
  })

  test('retention is replaced whole: forever does not keep the parent hours', () => {
    expect(mid['retention']).toEqual({type: 'timed', hours: 720})
    expect(leaf['retention']).toEqual({type: 'forever'})
  })

  test('transcript.provider is replaced whole: providers never mix, options never leak across', () => {
    expect((mid['transcript'] as {provider: unknown}).provider).toEqual({
      recallai_streaming: {language_code: 'en', mode: 'prioritize_accuracy'},
    })
    expect((leaf['transcript'] as {provider: unknown}).provider).toEqual({deepgram_streaming: {model: 'nova-2'}})
  })

  test('a child provider of the same kind replaces its options whole too', () => {
    const run = resolveClean(
      withConfig({
        [A]: yaml(
          'profiles:',
          '  base:',
          '    retention: {type: forever}',
          '    transcript: {provider: {recallai_streaming: {language_code: en, mode: prioritize_low_latency}}}',
          '  child:',
          '    extends: base',
          '    transcript: {provider: {recallai_streaming: {language_code: de}}}',
          'assignments:',
          `  - {profile: child, bots: [${BOT1}]}`,
        ),
      }),
    )
    expect(body(run, 'child')['transcript']).toEqual({provider: {recallai_streaming: {language_code: 'de'}}})
  })

  test('in metadata, null removes an inherited key; other keys merge', () => {
    expect(root['metadata']).toEqual({owner: 'root', tier: 'gold', region: 'eu'})
    expect(mid['metadata']).toEqual({owner: 'mid', region: 'eu'})
    expect(leaf['metadata']).toEqual({owner: 'leaf', region: 'eu', team: 'sales'})
  })

  test('a metadata null with nothing to remove leaves no null in the body', () => {
    const run = resolveClean(
      withConfig({
        [A]: yaml(
          'profiles:',
          '  p:',
          '    retention: {type: forever}',
          '    metadata: {gone: null, kept: "1"}',
          '    video_mixed_mp4: {metadata: {gone: null}}',
          'assignments:',
          `  - {profile: p, bots: [${BOT1}], metadata: {gone: null}}`,
        ),
      }),
    )
    expect(body(run, 'p')['metadata']).toEqual({kept: '1'})
    expect(body(run, 'p')['video_mixed_mp4']).toEqual({metadata: {}})
    expect(run.resolved.assignments[0]?.body['metadata']).toEqual({kept: '1'})
  })

  test('assignment metadata is merged last, and null there removes a key', () => {
    const [withMetadata, plain] = run.resolved.assignments
    expect(withMetadata?.body['metadata']).toEqual({region: 'eu', team: 'sales', deal: 'D-1'})
    expect(withMetadata?.digest).not.toBe(run.resolved.profiles.find((p) => p.name === 'leaf')?.digest)
    expect(withMetadata?.digest).toBe(bodyDigest(withMetadata!.body))
    // Everything but metadata is the profile's.
    expect({...withMetadata?.body, metadata: null}).toEqual({...leaf, metadata: null})
    // The profile's own body is untouched by the assignment.
    expect(leaf['metadata']).toEqual({owner: 'leaf', region: 'eu', team: 'sales'})
    expect(plain?.body).toEqual(leaf)
    expect(plain?.digest).toBe(run.resolved.profiles.find((p) => p.name === 'leaf')?.digest)
  })
})

describe('complete bodies', () => {
  const projects: Record<string, ProjectFiles> = {
    chain: CHAIN,
    minimal: withConfig({
      [A]: yaml(
        'profiles:',
        '  p: {retention: {type: forever}}',
        'assignments:',
        `  - {profile: p, bots: [${BOT1}], metadata: {x: "1"}}`,
      ),
    }),
    empty_profile: withConfig({[A]: yaml('profiles:', '  p: {}', 'assignments:', `  - {profile: p, bots: [${BOT1}]}`)}),
  }

  test.each(Object.entries(projects))(
    'every resolved body of %s has every field of the start_recording body, in spec order',
    (_name, files) => {
      const run = runProject(files)
      const bodies = [...run.resolved.profiles.map((p) => p.body), ...run.resolved.assignments.map((a) => a.body)]
      expect(bodies.length).toBeGreaterThan(0)
      for (const b of bodies) {
        expect(Object.keys(b)).toEqual([...BODY_FIELDS])
        for (const field of BODY_FIELDS) expect(b[field], field).not.toBeUndefined()
      }
    },
  )

  test('what the chain leaves unset gets the endpoint default, written out', () => {
    const run = runProject(projects['empty_profile'] as ProjectFiles)
    expect(body(run, 'p')).toEqual(NOTES_DEFAULTS)
  })

  test('nested provider options are sent as written, without provider defaults', () => {
    const run = resolveClean(CHAIN)
    expect((body(run, 'root')['transcript'] as {provider: unknown}).provider).toEqual({
      recallai_streaming: {language_code: 'en', mode: 'prioritize_accuracy'},
    })
  })
})

describe('${env:} references', () => {
  const files = withConfig({
    [A]: yaml(
      'profiles:',
      '  p:',
      '    retention: {type: forever}',
      '    realtime_endpoints:',
      '      - {type: webhook, url: "https://hooks.example.com/r?token=${env:HOOK_TOKEN}", events: []}',
      'assignments:',
      `  - {profile: p, bots: [${BOT1}]}`,
    ),
  })

  test('stay as written in the body and in the digest, whatever the value', () => {
    const unset = runProject(files)
    const set = resolveClean(files, {mode: 'plan', env: {HOOK_TOKEN: 'first-secret'}})
    const rotated = resolveClean(files, {mode: 'plan', env: {HOOK_TOKEN: 'second-secret'}})
    expect((body(set, 'p')['realtime_endpoints'] as Array<{url: string}>)[0]?.url).toBe(
      'https://hooks.example.com/r?token=${env:HOOK_TOKEN}',
    )
    const digests = [unset, set, rotated].map((r) => r.resolved.profiles[0]?.digest)
    expect(new Set(digests).size).toBe(1)
    expect(JSON.stringify(set.resolved)).not.toContain('first-secret')
  })
})

describe('digests', () => {
  test('do not depend on the order keys are written in', () => {
    const one = withConfig({
      [A]: yaml(
        'profiles:',
        '  p:',
        '    retention: {type: timed, hours: 24}',
        '    metadata: {a: "1", b: "2"}',
        '    transcript: {provider: {recallai_streaming: {language_code: en, mode: prioritize_accuracy}}}',
        'assignments:',
        `  - {profile: p, bots: [${BOT1}]}`,
      ),
    })
    const other = withConfig({
      [A]: yaml(
        'assignments:',
        `  - {bots: [${BOT1}], profile: p}`,
        'profiles:',
        '  p:',
        '    transcript: {provider: {recallai_streaming: {mode: prioritize_accuracy, language_code: en}}}',
        '    metadata: {b: "2", a: "1"}',
        '    retention: {hours: 24, type: timed}',
      ),
    })
    const a = resolveClean(one)
    const b = resolveClean(other)
    expect(b.resolved.profiles[0]?.digest).toBe(a.resolved.profiles[0]?.digest)
    expect(b.resolved.assignments[0]?.digest).toBe(a.resolved.assignments[0]?.digest)
  })

  test('do not depend on the order files are read in', () => {
    const names = Object.keys(CHAIN)
    const reference = resolveClean(CHAIN)
    const orders = [names, [...names].reverse(), [names[2], names[0], names[3], names[1]] as string[]]
    for (const order of orders) {
      const run = resolveClean(CHAIN, {order})
      expect(run.resolved.profiles.map((p) => [p.name, p.digest])).toEqual(
        reference.resolved.profiles.map((p) => [p.name, p.digest]),
      )
      expect(run.resolved.assignments.map((a) => a.digest)).toEqual(reference.resolved.assignments.map((a) => a.digest))
      expect(run.diagnostics).toEqual(reference.diagnostics)
    }
  })

  test('change when any value of the body changes', () => {
    const base = resolveClean(
      withConfig({
        [A]: yaml('profiles:', '  p: {retention: {type: timed, hours: 24}}', 'assignments:', `  - {profile: p, bots: [${BOT1}]}`),
      }),
    )
    const changed = resolveClean(
      withConfig({
        [A]: yaml('profiles:', '  p: {retention: {type: timed, hours: 25}}', 'assignments:', `  - {profile: p, bots: [${BOT1}]}`),
      }),
    )
    expect(changed.resolved.profiles[0]?.digest).not.toBe(base.resolved.profiles[0]?.digest)
  })

  test('v1 is frozen: a golden body has a golden digest, computed here independently', () => {
    const run = resolveClean(
      withConfig({
        [A]: yaml(
          'profiles:',
          '  golden:',
          '    retention: {type: forever}',
          '    transcript: {provider: {recallai_streaming: {mode: prioritize_accuracy, language_code: en}}}',
          '    realtime_endpoints:',
          '      - {url: "https://hooks.example.com/r?token=${env:HOOK_TOKEN}", type: webhook, events: [transcript.data, participant_events.join]}',
          '    metadata: {team: sales, "é": "ü"}',
          'assignments:',
          `  - {profile: golden, bots: [${BOT1}]}`,
        ),
      }),
    )
    // Written by hand: keys sorted at every level (UTF-16 order: "é" after "team"), no whitespace,
    // arrays in order, ${env:} as written, non-ASCII as UTF-8.
    const canonical =
      '{"audio_mixed_mp3":null,"audio_mixed_raw":null,"audio_separate_mp3":null,"audio_separate_raw":null,' +
      '"include_bot_in_recording":{"audio":false},"meeting_metadata":{},"metadata":{"team":"sales","é":"ü"},' +
      '"participant_events":{},' +
      '"realtime_endpoints":[{"events":["transcript.data","participant_events.join"],"type":"webhook","url":"https://hooks.example.com/r?token=${env:HOOK_TOKEN}"}],' +
      '"retention":{"type":"forever"},"start_recording_on":"participant_join",' +
      '"transcript":{"provider":{"recallai_streaming":{"language_code":"en","mode":"prioritize_accuracy"}}},' +
      '"video_mixed_flv":null,"video_mixed_layout":"speaker_view","video_mixed_mp4":{},' +
      '"video_mixed_participant_video_when_screenshare":"overlap","video_separate_h264":null,"video_separate_mp4":null,"video_separate_png":null}'
    const expected = `v1:${createHash('sha256').update(Buffer.from(canonical, 'utf8')).digest('hex').slice(0, 32)}`
    expect(run.resolved.profiles[0]?.digest).toBe(expected)
    // And frozen as a literal, so that neither side of the comparison can drift unnoticed.
    expect(expected).toBe('v1:525b5ee041feb8c1795ef8a6669f0404')
  })

  test('ignore the recallctl_ stamp keys', () => {
    const run = resolveClean(
      withConfig({
        [A]: yaml('profiles:', '  p: {retention: {type: forever}}', 'assignments:', `  - {profile: p, bots: [${BOT1}]}`),
      }),
    )
    const profile = run.resolved.profiles[0]!
    const stamped = {
      ...profile.body,
      metadata: {...(profile.body['metadata'] as object), recallctl_digest: profile.digest, recallctl_profile: 'p'},
    }
    expect(bodyDigest(stamped)).toBe(profile.digest)
  })
})

describe('purity', () => {
  function deepFreeze<T>(value: T, seen = new Set<unknown>()): T {
    if (value === null || typeof value !== 'object' || seen.has(value)) return value
    seen.add(value)
    for (const key of Reflect.ownKeys(value as object)) deepFreeze((value as Record<PropertyKey, unknown>)[key], seen)
    if (value instanceof Map)
      for (const [k, v] of value) {
        deepFreeze(k, seen)
        deepFreeze(v, seen)
      }
    return Object.freeze(value)
  }

  test('validate and resolve never mutate what they are given', () => {
    const loaded = loadInMemory(CHAIN)
    const before = JSON.stringify({config: loaded.config?.value, recordings: loaded.recordings.map((r) => [r.file, r.value])})
    deepFreeze(loaded.recordings.map((r) => r.value))
    deepFreeze(loaded.config?.value)
    deepFreeze(loaded.diagnostics)
    const validated = validateProject(loaded, {env: {}, unset: 'warning'})
    const profilesBefore = JSON.stringify([...validated.profiles.values()].map((p) => p.fields))
    const assignmentsBefore = JSON.stringify(validated.assignments.map((a) => [a.metadata, a.selector]))
    for (const profile of validated.profiles.values()) deepFreeze(profile.fields)
    for (const assignment of validated.assignments) deepFreeze([assignment.metadata, assignment.selector])
    deepFreeze(validated.diagnostics)
    const resolved = resolveProject(validated)
    expect(resolved.profiles).toHaveLength(3)
    expect(JSON.stringify({config: loaded.config?.value, recordings: loaded.recordings.map((r) => [r.file, r.value])})).toBe(
      before,
    )
    expect(JSON.stringify([...validated.profiles.values()].map((p) => p.fields))).toBe(profilesBefore)
    expect(JSON.stringify(validated.assignments.map((a) => [a.metadata, a.selector]))).toBe(assignmentsBefore)
  })

  test('resolved bodies share no objects with the files as written', () => {
    const run = resolveClean(CHAIN)
    const leaf = body(run, 'leaf') as {metadata: Record<string, string>}
    leaf.metadata['owner'] = 'changed'
    expect(
      (run.loaded.recordings.find((r) => r.file === C)?.value as {profiles: {leaf: {metadata: {owner: string}}}}).profiles.leaf
        .metadata.owner,
    ).toBe('leaf')
  })

  test('mergeLayers never mutates its layers', () => {
    const at = () => ({file: 'x', line: 1, column: 1})
    const layers: MergeLayer[] = deepFreeze([
      {
        fields: {metadata: {a: '1', b: '2'}, retention: {type: 'timed', hours: 5}, video_mixed_mp4: {metadata: {k: 'v'}}},
        locate: at,
      },
      {fields: {metadata: {a: null, c: '3'}, retention: {type: 'forever'}, video_mixed_mp4: null}, locate: at},
    ])
    const {merged} = mergeLayers(layers)
    expect(merged).toEqual({metadata: {b: '2', c: '3'}, retention: {type: 'forever'}, video_mixed_mp4: null})
  })
})
