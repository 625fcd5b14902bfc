import {describe, expect, it} from 'vitest'
import {FieldOrigins} from '../../src/resolve/origins.js'
import {MAX_EXTENDS_CHAIN, MAX_METADATA_KEYS} from '../../src/shared/limits.js'
import {MINIMAL_CONFIG, runProject} from '../foundation/support/project.js'

const BOT = '6e1f5adb-3340-4f50-900d-9aa2cdc53d6c'

/** Profiles p0 (the root) ← p1 ← … ← p{n-1}, the last one assigned to a bot. */
function chain(n: number): string {
  const lines = ['profiles:', '  p0:', '    retention: {type: forever}']
  for (let i = 1; i < n; i++) lines.push(`  p${i}:`, `    extends: p${i - 1}`)
  lines.push('assignments:', `  - profile: p${n - 1}`, `    bots: [${BOT}]`, '')
  return lines.join('\n')
}

const metadataProfile = (keys: number) =>
  [
    'profiles:',
    '  m:',
    '    retention: {type: forever}',
    '    metadata:',
    ...Array.from({length: keys}, (_, i) => `      k${i}: "v${i}"`),
    '',
  ].join('\n')

describe('extends chain length', () => {
  it(`resolves a chain of ${MAX_EXTENDS_CHAIN} profiles`, () => {
    const run = runProject({'recall.config.yaml': MINIMAL_CONFIG, 'recordings/a.yaml': chain(MAX_EXTENDS_CHAIN)})
    expect(run.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    expect(run.resolved.assignments).toHaveLength(1)
  })

  it(`refuses a chain of ${MAX_EXTENDS_CHAIN + 1}, once, at the extends line of the profile that passes the cap`, () => {
    const run = runProject({'recall.config.yaml': MINIMAL_CONFIG, 'recordings/a.yaml': chain(MAX_EXTENDS_CHAIN + 5)})
    const errors = run.diagnostics.filter((d) => d.severity === 'error')
    expect(errors.map((d) => `${d.code}@${d.file}:${d.line}:${d.column}`)).toEqual([
      `extends_chain_too_long@recordings/a.yaml:${3 + MAX_EXTENDS_CHAIN * 2}:14`,
    ])
    expect(errors[0]?.message).toContain(`profile "p${MAX_EXTENDS_CHAIN}"`)
    expect(errors[0]?.message).toContain(String(MAX_EXTENDS_CHAIN))
    expect(run.resolved.assignments).toEqual([])
  })

  // Linear: each profile's chain is walked once. No timing asserted; a quadratic walk would not finish in time.
  it('checks a 10,000-profile chain and a 10,000-profile cycle', {timeout: 120_000}, () => {
    const long = runProject({'recall.config.yaml': MINIMAL_CONFIG, 'recordings/a.yaml': chain(10_000)})
    expect(long.diagnostics.filter((d) => d.code === 'extends_chain_too_long')).toHaveLength(1)
    const cycle = chain(10_000).replace('  p0:\n    retention: {type: forever}', '  p0:\n    extends: p9999')
    const looped = runProject({'recall.config.yaml': MINIMAL_CONFIG, 'recordings/a.yaml': cycle})
    expect(looped.diagnostics.filter((d) => d.code === 'extends_cycle')).toHaveLength(1)
  })
})

describe('metadata map size', () => {
  it(`accepts ${MAX_METADATA_KEYS} keys and refuses one more, at the map`, {timeout: 120_000}, () => {
    const ok = runProject({'recall.config.yaml': MINIMAL_CONFIG, 'recordings/a.yaml': metadataProfile(MAX_METADATA_KEYS)})
    expect(ok.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    const over = runProject({'recall.config.yaml': MINIMAL_CONFIG, 'recordings/a.yaml': metadataProfile(MAX_METADATA_KEYS + 1)})
    const errors = over.diagnostics.filter((d) => d.severity === 'error')
    expect(errors.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['metadata_too_large@4:5'])
    expect(errors[0]?.message).toContain(MAX_METADATA_KEYS.toLocaleString('en-US'))
  })

  // The merge used to forget a field's old origins by scanning every recorded path: quadratic in the keys.
  it('merges a parent and a child with the most metadata keys each', {timeout: 120_000}, () => {
    const keys = (prefix: string) => Array.from({length: MAX_METADATA_KEYS}, (_, i) => `      ${prefix}${i}: "v"`)
    const text = [
      'profiles:',
      '  base:',
      '    retention: {type: forever}',
      '    metadata:',
      ...keys('a'),
      '  child:',
      '    extends: base',
      '    metadata:',
      ...keys('b'),
      '',
    ].join('\n')
    const run = runProject({'recall.config.yaml': MINIMAL_CONFIG, 'recordings/a.yaml': text})
    expect(run.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    const child = run.resolved.profiles.find((p) => p.name === 'child')
    expect(Object.keys(child?.body['metadata'] as object)).toHaveLength(2 * MAX_METADATA_KEYS)
    expect(child?.origins.of(['metadata', 'a7'])?.line).toBe(5 + 7)
    expect(child?.origins.of(['metadata', 'b7'])?.line).toBe(5 + MAX_METADATA_KEYS + 3 + 7)
  })
})

describe('FieldOrigins', () => {
  const at = (line: number) => ({file: 'f.yaml', line, column: 1})

  it('finds the deepest recorded ancestor, and forgets what was under a path set again', () => {
    const origins = new FieldOrigins()
    origins.set(['transcript'], at(1))
    origins.set(['transcript', 'provider'], at(2))
    expect(origins.of(['transcript', 'provider', 'x'])).toEqual(at(2))
    expect(origins.of(['transcript', 'diarization'])).toEqual(at(1))
    origins.set(['transcript'], at(3), (path) => at(100 + path.length))
    expect(origins.of(['transcript', 'provider'])).toEqual(at(102))
    expect(origins.of(['retention'])).toBeUndefined()
  })

  it('clones independently', () => {
    const origins = new FieldOrigins()
    origins.set(['metadata', 'a'], at(1))
    const copy = origins.clone()
    origins.set(['metadata'], at(2))
    expect(copy.of(['metadata', 'a'])).toEqual(at(1))
    expect(origins.of(['metadata', 'a'])).toEqual(at(2))
  })
})
