import {readFileSync} from 'node:fs'
import path from 'node:path'
import {randomUUID} from 'node:crypto'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {planDigest, summarize} from '../../src/diff/build-plan.js'
import {botOfStart, isStartRecording, stampedRecordingsOf} from '../support/e2e.js'
import {expectSafe, hostileProject} from './support/hostile.js'

/**
 * Property tests over hostile input. Whatever is changed in a saved plan file (with or without a forged
 * digest), apply never makes a call the config and the bots' state do not justify, never restarts a
 * recording, and never crashes. Whatever is changed in a valid project, validate and plan end with a clear
 * verdict, no request on bad input, and no secret in any output.
 */

const ACTIONS = ['start', 'restart', 'noop', 'pending', 'completed', 'blocked', 'missing', 'unknown', 'bogus']

type PlanDoc = Record<string, unknown> & {changes: Array<Record<string, unknown>>; diagnostics?: unknown[]}

/** One edit of a plan document, as a hostile reviewer-bypasser would make it. */
const planEdit = fc.oneof(
  fc.record({kind: fc.constant('action' as const), at: fc.nat(), action: fc.constantFrom(...ACTIONS)}),
  fc.record({kind: fc.constant('bot' as const), at: fc.nat(), other: fc.boolean()}),
  fc.record({kind: fc.constant('duplicate' as const), at: fc.nat()}),
  fc.record({kind: fc.constant('drop' as const), at: fc.nat()}),
  fc.record({kind: fc.constant('digest' as const), at: fc.nat()}),
  fc.record({
    kind: fc.constant('status' as const),
    at: fc.nat(),
    status: fc.constantFrom('in_call_not_recording', 'in_call_recording', 'done', 'joining_call'),
  }),
  fc.record({kind: fc.constant('diagnostics' as const)}),
  fc.record({
    kind: fc.constant('junk' as const),
    key: fc.constantFrom('format_version', 'changes', 'summary', 'plan_digest', '__proto__'),
    value: fc.jsonValue({maxDepth: 2}),
  }),
)

function applyEdit(doc: PlanDoc, edit: Record<string, unknown>, ids: readonly string[]): void {
  const changes = doc.changes
  const change = changes.length === 0 ? undefined : changes[(edit['at'] as number) % changes.length]
  switch (edit['kind']) {
    case 'action':
      if (change) change['action'] = edit['action']
      break
    case 'bot':
      if (change) change['bot_id'] = edit['other'] ? ids[(edit['at'] as number) % ids.length] : randomUUID()
      break
    case 'duplicate':
      if (change) changes.push({...change, bot_id: randomUUID()})
      break
    case 'drop':
      if (change) changes.splice(changes.indexOf(change), 1)
      break
    case 'digest':
      if (change) (change['after'] as Record<string, unknown>)['digest'] = `v1:${'0'.repeat(32)}`
      break
    case 'status':
      if (change) (change['before'] as Record<string, unknown>)['status'] = edit['status']
      break
    case 'diagnostics':
      doc.diagnostics = []
      break
    case 'junk':
      doc[edit['key'] as string] = edit['value']
      break
  }
}

describe('saved plan files, mutated', () => {
  it('apply makes only the calls the config and the bots justify, and never restarts', async () => {
    // Three bots in the call: C is recording its desired body (in sync), A and B are not recording.
    const h = await hostileProject({bots: 3})
    const [a, b, c] = h.ids as [string, string, string]
    expect((await h.run(['apply', '--auto-approve', '--target', c])).code).toBe(0)
    expect((await h.run(['plan', '--out', 'plan.json'])).code).toBe(0)
    const original = readFileSync(path.join(h.project.dir, 'plan.json'), 'utf8')
    h.sandbox.core.log.clear()

    await fc.assert(
      fc.asyncProperty(fc.array(planEdit, {minLength: 1, maxLength: 3}), fc.boolean(), async (edits, forge) => {
        const doc = JSON.parse(original) as PlanDoc
        for (const edit of edits) applyEdit(doc, edit as Record<string, unknown>, h.ids)
        if (forge && Array.isArray(doc.changes)) {
          doc.plan_digest = planDigest(doc.changes as never)
          doc.summary = summarize(doc.changes as never)
        }
        h.write('plan.json', JSON.stringify(doc))
        const result = await h.run(['apply', 'plan.json', '--auto-approve'])
        expectSafe(result, h, {exitCode: [0, 1, 3]})
        // Only A and B may ever be started, each once; C's recording is never restarted.
        for (const entry of h.sandbox.requests().filter(isStartRecording)) expect([a, b]).toContain(botOfStart(entry))
        expect(stampedRecordingsOf(h.sandbox, c)).toHaveLength(1)
        for (const id of [a, b]) expect(stampedRecordingsOf(h.sandbox, id).length).toBeLessThanOrEqual(1)
      }),
      {numRuns: 10, seed: 20261201},
    )
  }, 300_000)
})

const SECRET_TOKEN = 'tok-9f2c1e77d4b84a5e'
const SECRET_META = 'meta-51d0c2e9aa4f44c1'

/** One edit of a recordings file's text. */
const textEdit = fc.oneof(
  fc.record({kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({min: 1, max: 12})}),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.constantFrom(
      '${env:HOOK}',
      '${env:}',
      '*a',
      '&a ',
      '[',
      '{',
      ': ',
      '\t',
      '- ',
      '"',
      '\u202e',
      'extends: sales',
      'null',
      '999999999999999999999',
      '<<: *a',
      '\n  ',
    ),
  }),
  fc.record({kind: fc.constant('duplicate-line' as const), at: fc.nat()}),
)

function editText(text: string, edit: Record<string, unknown>): string {
  const at = (edit['at'] as number) % (text.length + 1)
  if (edit['kind'] === 'delete') return text.slice(0, at) + text.slice(at + (edit['length'] as number))
  if (edit['kind'] === 'insert') return text.slice(0, at) + (edit['text'] as string) + text.slice(at)
  const lines = text.split('\n')
  const line = (edit['at'] as number) % lines.length
  lines.splice(line, 0, lines[line]!)
  return lines.join('\n')
}

describe('projects, mutated', () => {
  it('validate and plan give a verdict, make no request on invalid input, and print no secret', async () => {
    const h = await hostileProject({bots: 1})
    const recordings = [
      'profiles:',
      '  base:',
      '    retention: { type: timed, hours: 24 }',
      '  sales:',
      '    extends: base',
      '    realtime_endpoints:',
      '      - { type: webhook, url: "https://hooks.example.com/r?token=${env:HOOK}", events: [transcript.data] }',
      '    transcript: { provider: { recallai_streaming: {} } }',
      '    metadata: { team: sales, api_key: "${env:META}" }',
      'assignments:',
      '  - profile: sales',
      `    bots: [${h.ids[0]}]`,
      '',
    ].join('\n')
    const env = {HOOK: SECRET_TOKEN, META: SECRET_META}
    await fc.assert(
      fc.asyncProperty(fc.array(textEdit, {minLength: 1, maxLength: 3}), async (edits) => {
        const text = edits.reduce((t, e) => editText(t, e as Record<string, unknown>), recordings)
        h.write('recordings/e2e.yaml', text)
        h.sandbox.core.log.clear()
        const validate = await h.run(['validate', '--json'], {env})
        expectSafe(validate, h, {exitCode: [0, 1], requests: 'none', secrets: [SECRET_TOKEN, SECRET_META]})
        const plan = await h.run(['plan', '--format', 'json'], {env})
        // Invalid input never causes a request; valid input plans (reads only).
        expectSafe(plan, h, {
          exitCode: [0, 1],
          requests: validate.code === 0 ? 'reads' : 'none',
          secrets: [SECRET_TOKEN, SECRET_META],
        })
      }),
      {numRuns: 10, seed: 20261201},
    )
  }, 300_000)
})
