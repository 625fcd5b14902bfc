import {randomUUID} from 'node:crypto'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, test} from 'vitest'
import {expectSafe, hostileProject} from './support/hostile.js'

const PASSWORD = `p@ss:w/rd-${randomUUID()}`
const TOKEN = `tok en/${randomUUID()}`
const FRAGMENT = `frag-${randomUUID()}`
const META = `meta-${randomUUID()}`
const NESTED = `nested-${randomUUID()}`

describe('hostile input: import', () => {
  test('secrets in every place a config can hide them never reach the file or the output', async () => {
    const h = await hostileProject({bots: 1})
    const url = `https://ops:${encodeURIComponent(PASSWORD)}@hooks.example.com/r?a=1&token=${encodeURIComponent(TOKEN)}#sig=${FRAGMENT}`
    h.sandbox.seed([
      {
        id: randomUUID(),
        status: 'in_call_recording',
        recording_config: {
          retention: {type: 'forever'},
          transcript: {provider: {recallai_streaming: {}}, metadata: {api_secret: NESTED}},
          realtime_endpoints: [{type: 'webhook', url, events: ['transcript.data'], metadata: {Auth_Token: META}}],
          audio_mixed_mp3: {metadata: {password: NESTED}},
          metadata: {note: `see ${url}`, team: 'ops'},
        },
      },
    ])
    const result = await h.run(['import', '--out', 'out/imported.yaml'])
    expectSafe(result, h, {
      exitCode: 0,
      requests: 'reads',
      secrets: [PASSWORD, TOKEN, FRAGMENT, META, NESTED, encodeURIComponent(PASSWORD), encodeURIComponent(TOKEN)],
    })
    const text = readFileSync(path.join(h.project.dir, 'out', 'imported.yaml'), 'utf8')
    expect(text).toContain('${env:IMPORT_IMPORTED_WEBHOOK_TOKEN}')
    expect(text).toContain('team: ops')
  })

  test.each([
    [['import', '--match', 'team=sales'], /--match "team=sales" is not metadata\.KEY=VALUE/],
    [['import', '--profile-prefix', '../evil'], /--profile-prefix "\.\.\/evil" is not a profile name/],
    [['import', '--status', 'recording'], /Expected --status=recording to be one of/],
    [['import', '--bot', '../../etc/passwd'], /--bot "\.\.\/\.\.\/etc\/passwd" is not a bot id/],
  ])('%j is refused before any request', async (args, says) => {
    const h = await hostileProject({bots: 1})
    expectSafe(await h.run(args), h, {exitCode: 1, requests: 'none', says})
  })

  test('a --bot that does not exist is named, and nothing is written', async () => {
    const h = await hostileProject({bots: 1})
    const missing = randomUUID()
    const result = await h.run(['import', '--bot', missing])
    expectSafe(result, h, {exitCode: 1, requests: 'reads', says: new RegExp(`no bot ${missing}`)})
  })
})
