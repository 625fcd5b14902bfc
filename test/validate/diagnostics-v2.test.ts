import {describe, expect, it} from 'vitest'
import {parseSource} from '../../src/load/source-document.js'
import {renderDiagnostic} from '../../src/render/diagnostics-text.js'
import {parsePlanJson} from '../../src/plan/parse-plan-json.js'
import {renderJson} from '../../src/render/json.js'
import {DIAGNOSTIC_CODES, isDiagnosticCode} from '../../src/shared/diagnostic-codes.js'
import type {Diagnostic} from '../../src/shared/diagnostics.js'
import {attachSourceRanges} from '../../src/validate/attach-ranges.js'
import {planOf} from '../render/fixtures.js'

const FILE = 'recordings/a.yaml'

/** A diagnostic reported against a value path only, as a check reports it, then made contextual. */
function at(text: string, path: Array<string | number>, extra: Partial<Diagnostic> = {}): Diagnostic {
  const {source} = parseSource(FILE, text)
  const [d] = attachSourceRanges(
    [{severity: 'error', code: 'invalid', message: 'bad value.', file: FILE, path, ...extra}],
    [source],
  )
  return d as Diagnostic
}

describe('the diagnostic code registry', () => {
  it('gives every code a summary of a few words and says when it is reported', () => {
    for (const [code, {summary, means}] of Object.entries(DIAGNOSTIC_CODES)) {
      expect(code).toMatch(/^[a-z][a-z0-9_]*$/)
      expect(summary, code).toMatch(/^[A-Z$-]/)
      expect(summary.split(' ').length, code).toBeLessThanOrEqual(9)
      expect(means.trim().length, code).toBeGreaterThan(5)
    }
    expect(new Set(Object.values(DIAGNOSTIC_CODES).map((c) => c.summary)).size).toBe(Object.keys(DIAGNOSTIC_CODES).length)
  })

  it('knows its codes and only those', () => {
    expect(isDiagnosticCode('duplicate_key')).toBe(true)
    expect(isDiagnosticCode('not_a_code')).toBe(false)
    expect(isDiagnosticCode('toString')).toBe(false)
    // A code outside the registry does not compile (tsc runs over the tests).
    // @ts-expect-error -- not a registered code
    const unknown: Diagnostic = {severity: 'error', code: 'not_a_code', message: 'x'}
    expect(unknown.code).toBe('not_a_code')
  })
})

describe('ranges attached from a value path', () => {
  const block = 'profiles:\n  sales:\n    retention:\n      type: timed\n      hours: 5000\n'

  it('finds a nested key in block style, start and end', () => {
    expect(at(block, ['profiles', 'sales', 'retention', 'hours'])).toMatchObject({
      line: 5,
      column: 14,
      range: {start: {line: 5, column: 14}, end: {line: 5, column: 18}},
      snippet: {line: 5, text: '      hours: 5000', start_column: 14, end_column: 18},
    })
  })

  it('finds a value in flow style', () => {
    const d = at('profiles:\n  sales: {retention: {type: timed, hours: 5000}}\n', ['profiles', 'sales', 'retention', 'hours'])
    expect(d.range).toEqual({start: {line: 2, column: 43}, end: {line: 2, column: 47}})
    expect(d.snippet?.text.slice((d.snippet.start_column ?? 1) - 1, (d.snippet.end_column ?? 1) - 1)).toBe('5000')
  })

  it('finds list items in block and flow lists', () => {
    const blockList = at('assignments:\n  - profile: a\n    bots:\n      - one\n      - two-two\n', ['assignments', 0, 'bots', 1])
    expect(blockList.range).toEqual({start: {line: 5, column: 9}, end: {line: 5, column: 16}})
    const flowList = at('assignments:\n  - {profile: a, bots: [one, two-two]}\n', ['assignments', 0, 'bots', 1])
    expect(flowList.range).toEqual({start: {line: 2, column: 30}, end: {line: 2, column: 37}})
  })

  it('keeps a range already attached, and a diagnostic of another file', () => {
    const {source} = parseSource(FILE, block)
    const other: Diagnostic = {severity: 'error', code: 'invalid', message: 'x', file: 'other.yaml', line: 1, column: 1}
    expect(attachSourceRanges([other], [source])).toEqual([other])
  })

  it('gives a point without a node (a syntax error) the word there', () => {
    const {source} = parseSource(FILE, 'a: 1\nb: [oops\n')
    const [d] = attachSourceRanges([{severity: 'error', code: 'invalid', message: 'x', file: FILE, line: 2, column: 4}], [source])
    expect(d?.range?.start).toEqual({line: 2, column: 4})
    expect(d?.snippet?.text).toBe('b: [oops')
  })
})

describe('the human view', () => {
  it('prints file:line:col, the source line, and the range underlined', () => {
    const d = at(
      'profiles:\n  sales:\n    retention: {type: timed, hours: 5000}\n',
      ['profiles', 'sales', 'retention', 'hours'],
      {
        message: 'retention.hours: 5000 is out of range.',
      },
    )
    expect(renderDiagnostic(d, {color: false})).toBe(
      [
        'recordings/a.yaml:3:37: error: retention.hours: 5000 is out of range.',
        '  3 |     retention: {type: timed, hours: 5000}',
        '    |                                     ^^^^',
      ].join('\n'),
    )
  })

  it('underlines only the first line of a value that spans several', () => {
    const d = at('profiles:\n  sales:\n    retention:\n      type: timed\n', ['profiles', 'sales', 'retention'])
    expect(d.range?.end.line).toBeGreaterThan(4)
    expect(renderDiagnostic(d, {color: false}).split('\n').slice(1)).toEqual([
      '  4 |       type: timed',
      '    |       ^^^^^^^^^^^',
    ])
  })

  it('keeps the carets under the range when a control character before it is escaped', () => {
    const d: Diagnostic = {
      severity: 'warning',
      code: 'invalid',
      message: 'x',
      snippet: {line: 7, text: 'a: "\u0007" b', start_column: 8, end_column: 9},
    }
    expect(renderDiagnostic(d, {color: false}).split('\n').slice(1)).toEqual(['  7 | a: "\\u0007" b', '    |             ^'])
  })

  it('keeps the carets under the range after wide characters (two terminal columns each)', () => {
    const d = at('profiles:\n  営業:\n    retention: {type: timed, 時間: 5000, hours: 9}\n', [
      'profiles',
      '営業',
      'retention',
      'hours',
    ])
    const [line, carets] = renderDiagnostic(d, {color: false}).split('\n').slice(1)
    // 時間 is 2 characters and 4 columns: the carets sit 2 columns further right than a character count says.
    expect(carets!.indexOf('^')).toBe(line!.indexOf('9') + 2)
    expect(carets!.match(/\^+/)![0]).toBe('^')
  })
})

describe('snippets never show a secret', () => {
  const render = (text: string, path: Array<string | number>): string => renderDiagnostic(at(text, path), {color: false})

  it('hides URL userinfo and query values on the line', () => {
    const out = render(
      'profiles:\n  a:\n    realtime_endpoints: [{type: webhook, url: "https://u:hunter2pw@h.example/x?sig=s3cretsig"}]\n',
      ['profiles', 'a', 'realtime_endpoints', 0, 'url'],
    )
    expect(out).not.toMatch(/hunter2pw|s3cretsig/)
    expect(out).toContain('https://<redacted>@h.example/x?sig=<redacted>')
  })

  it('hides a secret-named metadata value, in block and flow style, even when the range is beside it', () => {
    const blockOut = render('profiles:\n  a:\n    metadata:\n      api_token: tok3nvalue\n', [
      'profiles',
      'a',
      'metadata',
      'api_token',
    ])
    expect(blockOut).not.toContain('tok3nvalue')
    expect(blockOut).toContain('api_token: <redacted>')
    const flowOut = render('profiles:\n  a:\n    metadata: {team: x, password: pa55word, note: y}\n', [
      'profiles',
      'a',
      'metadata',
      'note',
    ])
    expect(flowOut).not.toContain('pa55word')
    // The carets still sit under `y`, after the redaction shortened nothing before it... or lengthened it.
    const [, line, carets] = flowOut.split('\n')
    expect(line?.[(carets as string).indexOf('^')]).toBe('y')
  })

  it('hides the value of a pasted Authorization header, and of other secret-like names', () => {
    for (const key of ['authorization', 'Bearer', 'credentials', 'pwd', 'session_cookie', 'signature']) {
      const out = render(`version: 1\napi:\n  ${key}: Token sk_live_pasted_123\n`, ['api', key])
      expect(out, key).toContain(`${key}: <redacted>`)
      expect(out, key).not.toContain('sk_live_pasted_123')
    }
  })

  it('hides a line inside a block scalar under a secret-named key', () => {
    const {source} = parseSource(FILE, 'profiles:\n  a:\n    metadata:\n      secret_note: |\n        l1ne-of-secret\n')
    const [d] = attachSourceRanges([{severity: 'error', code: 'invalid', message: 'x', file: FILE, line: 5, column: 9}], [source])
    expect(d?.snippet?.text).not.toContain('l1ne-of-secret')
    expect(d?.snippet?.text).toContain('<redacted>')
  })

  it('shows an ${env:} reference as written', () => {
    // Under a secret-named key even the reference is hidden (its name can say too much); elsewhere it shows.
    const out = render('profiles:\n  a:\n    metadata:\n      api_key: ${env:API_KEY}\n      x: y\n', [
      'profiles',
      'a',
      'metadata',
      'api_key',
    ])
    expect(out).toContain('api_key: <redacted>')
    const ref = render('profiles:\n  a:\n    metadata:\n      note: ${env:NOTE}\n', ['profiles', 'a', 'metadata', 'note'])
    expect(ref).toContain('note: ${env:NOTE}')
  })
})

describe('a key written twice', () => {
  it('names the key and both lines, and points at the second', () => {
    const {source, diagnostics} = parseSource(
      FILE,
      'profiles:\n  a:\n    retention: {type: forever}\n    retention: {type: timed, hours: 1}\n',
    )
    const [d] = attachSourceRanges(diagnostics, [source])
    expect(d).toMatchObject({
      code: 'duplicate_key',
      line: 4,
      column: 5,
      range: {start: {line: 4, column: 5}, end: {line: 4, column: 14}},
    })
    expect(d?.message).toContain('"retention" appears twice in the same map, at lines 3 and 4')
    expect(d?.related).toEqual([expect.objectContaining({line: 3, column: 5})])
  })
})

describe('JSON', () => {
  it("puts the summary (the code's title) before the message (the detail), in the documented key order", () => {
    const json = JSON.parse(
      renderJson(planOf([], {diagnostics: [{severity: 'warning', code: 'retention_unset', message: 'x.'}]})),
    ) as {
      diagnostics: Array<Record<string, unknown>>
    }
    expect(Object.keys(json.diagnostics[0]!)).toEqual(['severity', 'code', 'summary', 'message'])
    expect(json.diagnostics[0]!.summary).toBe('Retention not set')
  })

  it('carries range, snippet and address beside message, file, line and column, and a saved plan keeps them', () => {
    const d = {
      ...at('profiles:\n  sales:\n    retention: {type: timed, hours: 5000}\n', ['profiles', 'sales', 'retention', 'hours']),
      address: {profile: 'sales'},
    }
    const plan = planOf([], {diagnostics: [d]})
    const json = JSON.parse(renderJson(plan)) as {diagnostics: Array<Record<string, unknown>>}
    expect(json.diagnostics[0]).toMatchObject({
      severity: 'error',
      code: 'invalid',
      summary: DIAGNOSTIC_CODES.invalid.summary,
      message: 'bad value.',
      file: FILE,
      line: 3,
      column: 37,
      range: {start: {line: 3, column: 37}, end: {line: 3, column: 41}},
      snippet: {line: 3, text: '    retention: {type: timed, hours: 5000}', start_column: 37, end_column: 41},
      address: {profile: 'sales'},
    })
    const reread = parsePlanJson(renderJson(plan))
    expect('plan' in reread && reread.plan.diagnostics[0]).toMatchObject({
      range: d.range,
      snippet: d.snippet,
      address: {profile: 'sales'},
    })
  })
})
