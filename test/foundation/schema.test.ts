import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {globSync} from 'tinyglobby'
import {parse} from 'yaml'
import {describe, expect, test} from 'vitest'
import {jsonSchemaOf, SCHEMA_FILE_NAMES, SCHEMA_KINDS, type SchemaKind} from '../../src/config/json-schemas.js'
import {BODY_FIELDS} from '../../src/recall/body-schema.js'
import {schemaErrors} from './support/json-schema-check.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const committed = (kind: SchemaKind): string => readFileSync(path.join(root, 'schemas', SCHEMA_FILE_NAMES[kind]), 'utf8')
const schemaOf = (kind: SchemaKind) => JSON.parse(committed(kind)) as Record<string, unknown>

const exampleConfig = 'recall.config.yaml'
const exampleRecordings = globSync('recordings/**/*.yaml', {cwd: root}).sort()

type JsonObject = Record<string, unknown>
const at = (schema: unknown, ...keys: string[]): JsonObject =>
  keys.reduce((node, key) => (node as JsonObject)[key], schema) as JsonObject

describe('committed JSON Schemas', () => {
  test.each([...SCHEMA_KINDS])('schemas/%s is what the schema command writes today', (kind) => {
    const expected = `${JSON.stringify(jsonSchemaOf(kind), null, 2)}\n`
    expect(
      committed(kind),
      `schemas/${SCHEMA_FILE_NAMES[kind]} is stale: run \`npx recallctl schema --out schemas\` and commit the result`,
    ).toBe(expected)
  })

  test('a recordings profile accepts every body field plus extends, and nothing else', () => {
    const profile = at(schemaOf('recordings'), 'properties', 'profiles', 'additionalProperties')
    expect(Object.keys(profile['properties'] as JsonObject).sort()).toEqual([...BODY_FIELDS, 'extends'].sort())
    expect(profile['additionalProperties']).toBe(false)
  })
})

describe('the bundled example against the committed schemas', () => {
  test('every example file names its schema, and the path exists', () => {
    for (const file of [exampleConfig, ...exampleRecordings]) {
      const first = readFileSync(path.join(root, file), 'utf8').split('\n')[0] as string
      const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(first)
      expect(match, `${file} should start with a yaml-language-server $schema line`).not.toBeNull()
      const target = path.resolve(path.dirname(path.join(root, file)), match?.[1] as string)
      const kind: SchemaKind = file === exampleConfig ? 'config' : 'recordings'
      expect(target).toBe(path.join(root, 'schemas', SCHEMA_FILE_NAMES[kind]))
      expect(existsSync(target)).toBe(true)
    }
  })

  test('the example config validates against the config schema', () => {
    const value = parse(readFileSync(path.join(root, exampleConfig), 'utf8')) as JsonObject
    expect(schemaErrors(schemaOf('config'), value)).toEqual([])
    for (const key of Object.keys(value)) expect(Object.keys(at(schemaOf('config'), 'properties'))).toContain(key)
  })

  test.each(exampleRecordings)('%s validates against the recordings schema', (file) => {
    const value = parse(readFileSync(path.join(root, file), 'utf8')) as {profiles?: Record<string, JsonObject>}
    const schema = schemaOf('recordings')
    expect(schemaErrors(schema, value)).toEqual([])
    const known = Object.keys(at(schema, 'properties', 'profiles', 'additionalProperties', 'properties'))
    for (const profile of Object.values(value.profiles ?? {}))
      for (const key of Object.keys(profile)) expect(known).toContain(key)
  })

  test('the schema catches what an editor should flag: a typo, a bad enum, a wrong type', () => {
    const schema = schemaOf('recordings')
    const ok = {
      profiles: {p: {retention: {type: 'forever'}, video_mixed_layout: 'speaker_view'}},
      assignments: [{profile: 'p', bots: ['6e1f5adb-3340-4f50-900d-9aa2cdc53d6c']}],
    }
    expect(schemaErrors(schema, ok)).toEqual([])
    expect(schemaErrors(schema, {profiles: {p: {transcrpt: null}}}).join('\n')).toContain('unknown key transcrpt')
    expect(schemaErrors(schema, {profiles: {p: {video_mixed_layout: 'speakerview'}}}).join('\n')).toContain('not in enum')
    expect(schemaErrors(schema, {profiles: {p: {retention: {type: 'timed', hours: '720'}}}})).not.toEqual([])
    expect(schemaErrors(schema, {assignments: [{profile: 'p', bots: ['not-a-uuid']}]}).join('\n')).toContain('does not match')
    expect(schemaErrors(schemaOf('config'), {version: 1, api: {regoin: 'us-east-1'}}).join('\n')).toContain('unknown key regoin')
  })
})
