import {describe, expect, it} from 'vitest'
import {locate, parseSource} from '../../src/load/source-document.js'
import {MAX_NESTING_DEPTH} from '../../src/shared/limits.js'

const codes = (text: string) => parseSource('recordings/x.yaml', text).diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)

describe('YAML bounds', () => {
  it(`refuses flow collections nested deeper than ${MAX_NESTING_DEPTH}, before parsing`, () => {
    const {source, diagnostics} = parseSource(
      'recordings/x.yaml',
      `profiles:\n  a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
    )
    expect(diagnostics).toHaveLength(1)
    expect(diagnostics[0]).toMatchObject({
      severity: 'error',
      code: 'nesting_too_deep',
      file: 'recordings/x.yaml',
      line: 2,
      column: 6 + MAX_NESTING_DEPTH,
    })
    expect(diagnostics[0]?.message).toContain(String(MAX_NESTING_DEPTH))
    expect(source.value).toBeUndefined()
  })

  it(`refuses block nesting deeper than ${MAX_NESTING_DEPTH}`, () => {
    const lines = ['a:']
    for (let i = 1; i <= MAX_NESTING_DEPTH + 5; i++) lines.push(`${' '.repeat(i)}k:`)
    expect(codes(`${lines.join('\n')} 1\n`)).toEqual([expect.stringMatching(/^nesting_too_deep@\d+:/)])
  })

  it('accepts nesting up to the cap, and brackets inside quotes, comments and block scalars', () => {
    const flow = `a: ${'['.repeat(MAX_NESTING_DEPTH - 1)}${']'.repeat(MAX_NESTING_DEPTH - 1)}\n`
    expect(codes(flow)).toEqual([])
    const text = `a: "${'['.repeat(500)}"\nb: '${'{'.repeat(500)}'\n# ${'['.repeat(500)}\nc: |\n  ${'{'.repeat(500)}\n`
    const parsed = parseSource('recordings/x.yaml', text)
    expect(parsed.diagnostics).toEqual([])
    expect((parsed.source.value as {a: string}).a).toHaveLength(500)
  })

  it('reports a key written twice in one map, with both lines, and keeps validating', () => {
    const {source, diagnostics} = parseSource(
      'recordings/x.yaml',
      'profiles:\n  a:\n    retention: {type: forever}\n    video_mixed_layout: speaker_view\n    retention: {type: timed, hours: 1}\n',
    )
    expect(diagnostics).toHaveLength(1)
    expect(diagnostics[0]).toMatchObject({code: 'duplicate_key', line: 5, column: 5, related: [{line: 3, column: 5}]})
    expect(diagnostics[0]?.message).toMatch(/"retention" appears twice in the same map, at lines 3 and 5\./)
    expect(source.value).toBeDefined()
  })

  it('tells apart the same key in different maps', () => {
    expect(codes('a: {k: 1}\nb: {k: 2}\nc: [{k: 1}, {k: 2}]\n')).toEqual([])
  })

  it('reports an alias of an undefined anchor at the alias, without a value', () => {
    const {source, diagnostics} = parseSource('recordings/x.yaml', 'profiles:\n  a:\n    retention: *nope\n')
    expect(diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['yaml_undefined_alias@3:16'])
    expect(diagnostics[0]?.message).toContain('*nope')
    expect(source.value).toBeUndefined()
  })

  it('reports an alias bomb (billion laughs) as an error, quickly and without a value', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i <= 9; i++) lines.push(`a${i}: &a${i} [${Array.from({length: 10}, () => `*a${i - 1}`).join(', ')}]`)
    const {source, diagnostics} = parseSource('recordings/x.yaml', `${lines.join('\n')}\n`)
    expect(diagnostics.map((d) => `${d.code}@${d.line}`)).toEqual(['yaml_alias_limit@2'])
    expect(diagnostics[0]?.message).toContain('100')
    expect(source.value).toBeUndefined()
  })

  it('still accepts a few aliases', () => {
    const {source, diagnostics} = parseSource('recordings/x.yaml', 'base: &b {type: forever}\nx: *b\ny: *b\n')
    expect(diagnostics).toEqual([])
    expect(source.value).toEqual({base: {type: 'forever'}, x: {type: 'forever'}, y: {type: 'forever'}})
  })

  // Linear, not quadratic: yaml's own unique-key check took seconds for this many keys, and locate
  // scanned every key of a map. No timing is asserted: the generous timeout only fails a quadratic run.
  it('parses, checks and locates 20,000 keys of one map', {timeout: 120_000}, () => {
    const n = 20_000
    const text = `profiles:\n${Array.from({length: n}, (_, i) => `  p${i}:\n    retention: {type: forever}\n`).join('')}`
    const {source, diagnostics} = parseSource('recordings/x.yaml', text)
    expect(diagnostics).toEqual([])
    for (let i = 0; i < n; i += 1) expect(locate(source, ['profiles', `p${i}`], {key: true}).line).toBe(2 + i * 2)
  })

  it('finds a duplicate among 20,000 keys', {timeout: 120_000}, () => {
    const keys = Array.from({length: 20_000}, (_, i) => `  k${i}: "v"`)
    keys.push('  k7: "again"')
    expect(codes(`m:\n${keys.join('\n')}\n`)).toEqual(['duplicate_key@20002:3'])
  })
})
