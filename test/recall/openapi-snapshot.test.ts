/**
 * The committed OpenAPI snapshot (what the spec tests read) is what scripts/openapi-snapshot.mjs makes
 * from Recall's openapi.json. The full spec lives beside the repository (../shared/recall-api/), which
 * CI has and a bare clone does not: there, the comparison is skipped, visibly, by name.
 */
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
// @ts-expect-error: a plain .mjs script without type declarations
import {ROOT_SCHEMAS, renderSnapshot, snapshotOf} from '../../scripts/openapi-snapshot.mjs'
import {SHARED_OPENAPI_PATH, SNAPSHOT_PATH, hasSharedOpenApi, recallOpenApi} from '../support/recall-openapi.js'

type JsonObject = Record<string, any>

describe('the OpenAPI snapshot', () => {
  it.skipIf(!hasSharedOpenApi)(
    `equals the one regenerated from ../shared/recall-api/openapi.json (SKIPPED when that file is absent, as on a bare clone)`,
    () => {
      const regenerated = renderSnapshot(JSON.parse(readFileSync(SHARED_OPENAPI_PATH, 'utf8')))
      expect(
        readFileSync(SNAPSHOT_PATH, 'utf8'),
        'run: node scripts/openapi-snapshot.mjs ../shared/recall-api/openapi.json',
      ).toBe(regenerated)
    },
  )

  it('holds the schemas the product mirrors, and every schema they reference', () => {
    const schemas: JsonObject = recallOpenApi()['components'].schemas
    for (const root of ROOT_SCHEMAS as string[]) expect(schemas).toHaveProperty(root)
    const refs = JSON.stringify(schemas).matchAll(/"#\/components\/schemas\/([^"]+)"/g)
    for (const [, name] of refs) expect(schemas, name).toHaveProperty(name!)
  })

  it('keeps structure and drops prose', () => {
    const text = readFileSync(SNAPSHOT_PATH, 'utf8')
    // Prose keys with text values (a property may be named `title`: its value is a schema).
    expect(text).not.toMatch(/"(description|example|examples|title|summary)": ["[]/)
    const document = {
      openapi: '3.0.3',
      info: {version: '1', title: 'T', description: 'prose'},
      components: {
        schemas: {
          BotRecordingConfig: {
            type: 'object',
            description: 'The body.',
            required: ['a'],
            properties: {
              a: {type: 'string', nullable: true, enum: ['x', 'y'], example: 'x', description: 'Default: `"x"`'},
              b: {allOf: [{$ref: '#/components/schemas/Inner'}], description: 'Words.'},
            },
          },
          Bot: {type: 'object', properties: {id: {type: 'string', format: 'uuid', readOnly: true}}},
          PaginatedBotList: {type: 'object', properties: {results: {type: 'array', items: {$ref: '#/components/schemas/Bot'}}}},
          Inner: {type: 'integer', default: 3, title: 'Inner'},
          Unused: {type: 'string'},
        },
      },
    }
    const snapshot = snapshotOf(document)
    expect(snapshot.components.schemas).toEqual({
      BotRecordingConfig: {
        type: 'object',
        required: ['a'],
        properties: {
          a: {type: 'string', nullable: true, enum: ['x', 'y'], default: 'x'},
          b: {allOf: [{$ref: '#/components/schemas/Inner'}]},
        },
      },
      Bot: {type: 'object', properties: {id: {type: 'string', format: 'uuid', readOnly: true}}},
      PaginatedBotList: {type: 'object', properties: {results: {type: 'array', items: {$ref: '#/components/schemas/Bot'}}}},
      Inner: {type: 'integer', default: 3},
    })
    expect(() => snapshotOf({components: {schemas: {Bot: {}}}})).toThrow('no schema')
  })
})
