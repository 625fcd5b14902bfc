import fc from 'fast-check'
import {stringify} from 'yaml'
import {describe, expect, test} from 'vitest'
import {mergeLayers, type MergeLayer} from '../../src/resolve/merge.js'
import {canonicalJson} from '../../src/shared/canonical-json.js'
import {substituteEnv} from '../../src/shared/env-refs.js'
import {REDACTED, redactValue} from '../../src/shared/redact.js'
import {MINIMAL_CONFIG, runProject, type ProjectFiles} from './support/project.js'

// ------------------------------------------------------------------------------------------ helpers

/** The same value with the keys of every object in another order (the order given by `seed`). */
function reorderKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((item) => reorderKeys(item, seed))
  if (value === null || typeof value !== 'object') return value
  const rank = (key: string) => {
    let h = seed | 0
    for (const ch of key) h = Math.imul(h ^ ch.charCodeAt(0), 0x5bd1e995) >>> 0
    return h
  }
  const entries = Object.entries(value).sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : 1))
  // fromEntries defines own properties, so a "__proto__" key stays a key.
  return Object.fromEntries(entries.map(([k, v]) => [k, reorderKeys(v, seed)]))
}

// ------------------------------------------------------------------------------ random projects

const BOT_IDS = [
  '6e1f5adb-3340-4f50-900d-9aa2cdc53d6c',
  '0b7d2c4e-8f1a-4c3b-9e5d-2a6f8b1c3d4e',
  '9c3e7a1f-5b2d-4e8c-a6f0-1d3b5c7e9a2b',
]
const metadataKey = fc.constantFrom('team', 'owner', 'tier', 'region')
const metadataMap = fc.dictionary(metadataKey, fc.option(fc.constantFrom('a', 'b', 'sales', '${env:TEAM}'), {nil: null}), {
  maxKeys: 3,
})
const artifact = fc.option(
  fc.record({metadata: fc.dictionary(metadataKey, fc.constantFrom('x', 'y'), {maxKeys: 2})}, {requiredKeys: []}),
  {nil: null},
)

/** Fields a profile may set: valid on their own, some of which conflict once merged (that is fine). */
const profileFields = fc.record(
  {
    retention: fc.oneof(
      fc.record({type: fc.constant('timed'), hours: fc.integer({min: 1, max: 1000})}),
      fc.constant({type: 'forever'}),
    ),
    video_mixed_layout: fc.constantFrom('speaker_view', 'gallery_view', 'gallery_view_v2', 'audio_only'),
    start_recording_on: fc.constantFrom('call_join', 'participant_join'),
    metadata: metadataMap,
    transcript: fc.option(
      fc.record({
        provider: fc.oneof(
          fc.record({recallai_streaming: fc.record({language_code: fc.constantFrom('en', 'de')}, {requiredKeys: []})}),
          fc.constant({meeting_captions: {}}),
        ),
      }),
      {nil: null},
    ),
    realtime_endpoints: fc.array(
      fc.record({
        type: fc.constant('webhook'),
        url: fc.constantFrom('https://a.example.com/h', 'https://b.example.com/h?token=${env:HOOK}'),
        events: fc.uniqueArray(fc.constantFrom('participant_events.join', 'participant_events.leave'), {maxLength: 2}),
      }),
      {maxLength: 2},
    ),
    video_mixed_mp4: artifact,
    audio_mixed_mp3: artifact,
    participant_events: artifact,
  },
  {requiredKeys: []},
)

interface RandomProject {
  files: ProjectFiles
  profileCount: number
}

/**
 * Up to 6 profiles, each extending an earlier one or none (no cycles), spread over up to 4 files,
 * with a few assignments; written to YAML with keys in a random order.
 */
const randomProject: fc.Arbitrary<RandomProject> = fc
  .integer({min: 1, max: 6})
  .chain((count) =>
    fc.record({
      count: fc.constant(count),
      profiles: fc.array(
        fc.record({fields: profileFields, parent: fc.option(fc.nat({max: count}), {nil: undefined}), file: fc.nat({max: 3})}),
        {minLength: count, maxLength: count},
      ),
      assignments: fc.array(
        fc.record({profile: fc.nat({max: count - 1}), bot: fc.nat({max: 2}), file: fc.nat({max: 3}), metadata: metadataMap}),
        {maxLength: 3},
      ),
      keySeed: fc.integer(),
    }),
  )
  .map(({count, profiles, assignments, keySeed}) => {
    const byFile = new Map<number, {profiles: Record<string, unknown>; assignments: unknown[]}>()
    const fileOf = (n: number) => {
      if (!byFile.has(n)) byFile.set(n, {profiles: {}, assignments: []})
      return byFile.get(n) as {profiles: Record<string, unknown>; assignments: unknown[]}
    }
    profiles.forEach((p, i) => {
      const parent = p.parent !== undefined && p.parent < i ? {extends: `p${p.parent}`} : {}
      fileOf(p.file).profiles[`p${i}`] = {...parent, ...p.fields}
    })
    const claimed = new Set<number>()
    for (const a of assignments) {
      if (claimed.has(a.bot)) continue
      claimed.add(a.bot)
      fileOf(a.file).assignments.push({profile: `p${a.profile}`, bots: [BOT_IDS[a.bot]], metadata: a.metadata})
    }
    const files: Record<string, string> = {'recall.config.yaml': MINIMAL_CONFIG}
    for (const [n, content] of byFile) files[`recordings/f${n}.yaml`] = stringify(reorderKeys(content, keySeed))
    return {files, profileCount: count}
  })

const summary = (files: ProjectFiles, order?: readonly string[]) => {
  const run = runProject(files, order ? {order} : {})
  return {
    profiles: run.resolved.profiles.map((p) => ({name: p.name, chain: p.chain, digest: p.digest, body: canonicalJson(p.body)})),
    assignments: run.resolved.assignments.map((a) => ({label: a.label, digest: a.digest})),
    diagnostics: run.diagnostics,
  }
}

// ------------------------------------------------------------------------------------------ tests

describe('resolve', () => {
  test('is deterministic: the same files in any order give the same bodies, digests and diagnostics', () => {
    fc.assert(
      fc.property(
        randomProject.chain((project) =>
          fc.tuple(
            fc.constant(project),
            fc.shuffledSubarray(Object.keys(project.files), {minLength: Object.keys(project.files).length}),
          ),
        ),
        ([project, order]) => {
          const reference = summary(project.files)
          expect(reference.profiles.length + reference.diagnostics.length).toBeGreaterThan(0)
          expect(summary(project.files, order)).toEqual(reference)
        },
      ),
      {numRuns: 150},
    )
  })

  test('the digest does not depend on the order keys are written in', () => {
    fc.assert(
      fc.property(randomProject, fc.integer(), (project, seed) => {
        const rewritten = Object.fromEntries(
          Object.entries(project.files).map(([file, text]) => [
            file,
            file.startsWith('recordings/')
              ? stringify(reorderKeys(runProject({[file]: text}).loaded.recordings[0]?.value, seed))
              : text,
          ]),
        )
        const a = summary(project.files)
        const b = summary(rewritten)
        expect(b.profiles.map((p) => p.digest)).toEqual(a.profiles.map((p) => p.digest))
        expect(b.assignments.map((x) => x.digest)).toEqual(a.assignments.map((x) => x.digest))
      }),
      {numRuns: 100},
    )
  })

  test('every body that resolves is complete and its digest is v1: + 32 hex digits', () => {
    fc.assert(
      fc.property(randomProject, (project) => {
        const run = runProject(project.files)
        for (const p of run.resolved.profiles) {
          expect(p.digest).toMatch(/^v1:[0-9a-f]{32}$/)
          expect(Object.values(p.body).every((v) => v !== undefined)).toBe(true)
          expect(Object.keys(p.body)).toHaveLength(19)
        }
      }),
      {numRuns: 100},
    )
  })
})

describe('canonicalJson', () => {
  test('does not depend on key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer(), (value, seed) => {
        expect(canonicalJson(reorderKeys(value, seed))).toBe(canonicalJson(value))
      }),
      {numRuns: 300},
    )
  })

  test('equals an independent reference: keys sorted by UTF-16 code units at every level, no whitespace', () => {
    // Written separately from the implementation; Array.prototype.sort compares strings by UTF-16 code units.
    const reference = (value: unknown): string => {
      if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`
      if (value === null || typeof value !== 'object') return JSON.stringify(value)
      const keys = Object.keys(value).sort()
      return `{${keys.map((k) => `${JSON.stringify(k)}:${reference((value as Record<string, unknown>)[k])}`).join(',')}}`
    }
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value)
        expect(text).toBe(reference(value))
        expect(canonicalJson(JSON.parse(text))).toBe(text)
      }),
      {numRuns: 300},
    )
  })

  test('tells different values apart', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        fc.pre(JSON.stringify(a) !== JSON.stringify(b))
        // Equal canonical text only for values equal up to key order.
        if (canonicalJson(a) === canonicalJson(b)) expect(reorderKeys(a, 1)).toEqual(reorderKeys(b, 1))
      }),
      {numRuns: 300},
    )
  })
})

// ---------------------------------------------------------------------------------------- redaction

/** Secret values: distinctive, so that finding one in output can only mean it leaked. */
const secret = fc.stringMatching(/^[A-Za-z0-9._~-]{4,16}$/).map((s) => `S3CR3T${s}`)
const envName = fc.constantFrom('HOOK_TOKEN', 'API_SECRET', 'PASSWORD', 'X')
const queryKey = fc.stringMatching(/^[a-z_]{1,8}$/)
const text = fc.constantFrom('', 'see ', 'webhook: ', 'url=', '(', '"')

describe('redactValue', () => {
  test('never lets a value substituted for ${env:} through, wherever the reference sits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(text, envName, text), {minLength: 1, maxLength: 4}),
        fc.dictionary(envName, secret, {minKeys: 4}),
        fc.constantFrom('metadata', 'url', 'list'),
        (pieces, env, where) => {
          const template = pieces.map(([before, name, after]) => `${before}\${env:${name}}${after}`).join(' ')
          const value =
            where === 'metadata'
              ? {metadata: {note: template}}
              : where === 'url'
                ? {realtime_endpoints: [{type: 'webhook', url: `https://h.example.com/p/${template}`, events: []}]}
                : {list: [template, {deep: [template]}]}
          const shown = JSON.stringify(substituteEnv(redactValue(value), env))
          for (const s of Object.values(env)) expect(shown).not.toContain(s)
          expect(shown).not.toContain('${env:')
          expect(shown).toContain(REDACTED)
        },
      ),
      {numRuns: 300},
    )
  })

  test('never lets a URL query value through, even once ${env:} was substituted into it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(queryKey, secret), {minLength: 1, maxLength: 4}),
        fc.constantFrom('https://hooks.example.com', 'wss://ws.example.com:8443/a/b', 'rtmp://live.example.com/app'),
        fc.constantFrom('', '#frag'),
        text,
        (params, base, fragment, before) => {
          const url = `${base}?${params.map(([k, v]) => `${k}=${v}`).join('&')}${fragment}`
          for (const value of [
            {realtime_endpoints: [{url}]},
            {metadata: {link: `${before}${url}`}},
            [`${before}${url} and more`],
          ]) {
            const shown = JSON.stringify(redactValue(value))
            for (const [k, v] of params) {
              expect(shown).not.toContain(v)
              expect(shown).toContain(`${k}=${REDACTED}`)
            }
          }
        },
      ),
      {numRuns: 300},
    )
  })

  test('never lets URL userinfo through', () => {
    fc.assert(
      fc.property(secret, secret, fc.constantFrom('', '@'), (user, password, extra) => {
        const url = `https://${user}:${password}${extra}${user}@h.example.com/p`
        const shown = JSON.stringify(redactValue({url, metadata: {link: `see ${url}`}}))
        expect(shown).not.toContain(password)
        expect(shown).not.toContain(user)
        expect(shown).toContain('h.example.com/p')
      }),
      {numRuns: 200},
    )
  })

  test.each([
    ['https://h.example.com/p?token=abc&x=1', 'https://h.example.com/p?token=<redacted>&x=<redacted>'],
    [
      'see https://u:p@h.example.com/p?t=abc#top for details',
      'see https://<redacted>@h.example.com/p?t=<redacted>#top for details',
    ],
    ['"wss://h.example.com/a?key=abc"', '"wss://h.example.com/a?key=<redacted>"'],
    ['https://u:p@ss@h.example.com/', 'https://<redacted>@h.example.com/'],
    ['https://h.example.com/p?token=${env:T}', 'https://h.example.com/p?token=<redacted>'],
    ['no url here: token=abc', 'no url here: token=abc'],
  ])('examples: %s', (input, shown) => {
    expect(redactValue({url: input})).toEqual({url: shown})
  })

  test('never mutates its input', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const before = JSON.stringify(value)
        redactValue(value)
        expect(JSON.stringify(value)).toBe(before)
      }),
      {numRuns: 200},
    )
  })
})

// -------------------------------------------------------------------------------------------- merge

describe('mergeLayers', () => {
  const at = () => ({file: 'f.yaml', line: 1, column: 1})
  const layer = (fields: Record<string, unknown>): MergeLayer => ({fields, locate: at})

  test('a profile with an empty child merges to the parent', () => {
    fc.assert(
      fc.property(profileFields, (fields) => {
        const parent = mergeLayers([layer(fields)]).merged
        expect(mergeLayers([layer(fields), layer({})]).merged).toEqual(parent)
      }),
      {numRuns: 300},
    )
  })

  test('a child that repeats its parent changes nothing', () => {
    fc.assert(
      fc.property(profileFields, (fields) => {
        const parent = mergeLayers([layer(fields)]).merged
        expect(mergeLayers([layer(fields), layer(fields)]).merged).toEqual(parent)
      }),
      {numRuns: 300},
    )
  })

  test('an empty parent merges to the child, minus metadata keys set to null', () => {
    fc.assert(
      fc.property(profileFields, (fields) => {
        const merged = mergeLayers([layer({}), layer(fields)]).merged
        const withoutNullMetadata = (value: unknown, inMetadata = false): unknown => {
          if (Array.isArray(value)) return value.map((v) => withoutNullMetadata(v))
          if (value === null || typeof value !== 'object') return value
          return Object.fromEntries(
            Object.entries(value)
              .filter(([, v]) => !(inMetadata && v === null))
              .map(([k, v]) => [k, withoutNullMetadata(v, k === 'metadata')]),
          )
        }
        expect(merged).toEqual(withoutNullMetadata(fields))
      }),
      {numRuns: 300},
    )
  })

  test('the last layer that sets a top-level scalar wins', () => {
    fc.assert(
      fc.property(fc.array(profileFields, {minLength: 1, maxLength: 5}), (layers) => {
        const merged = mergeLayers(layers.map(layer)).merged
        const setters = layers.filter((l) => l.video_mixed_layout !== undefined)
        expect(merged['video_mixed_layout']).toBe(setters.at(-1)?.video_mixed_layout)
        const retention = layers.filter((l) => l.retention !== undefined).at(-1)?.retention
        expect(merged['retention']).toEqual(retention)
      }),
      {numRuns: 300},
    )
  })
})
