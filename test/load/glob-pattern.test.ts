import {describe, expect, it} from 'vitest'
import {globProblem, isYamlName} from '../../src/load/glob-pattern.js'

describe('recordings globs stay inside the config folder', () => {
  it.each([
    ['recordings/**/*.yaml'],
    ['recordings/*.yml'],
    ['profiles/{sales,support}/*.yaml'],
    ['a..b/*.yaml'],
    ['recordings/x.yaml'],
    ['**/*.yaml'],
  ])('accepts %s', (pattern) => {
    expect(globProblem(pattern)).toBeUndefined()
  })

  it.each([
    ['/etc/passwd', /absolute path/],
    ['/proc/self/environ', /absolute path/],
    ['\\\\server\\share\\x.yaml', /absolute path/],
    ['C:/x/*.yaml', /absolute path/],
    ['~/secrets.yaml', /absolute path/],
    ['../x/*.yaml', /climbs out with "\.\."/],
    ['recordings/../../x.yaml', /climbs out/],
    ['..', /climbs out/],
    ['{..,recordings}/*.yaml', /climbs out/],
    ['@(..)/*.yaml', /climbs out/],
    ['.git/config', /names \.git\/, which recallctl never reads/],
    ['recordings/.git/x.yaml', /names \.git\//],
    ['{.git,recordings}/*.yaml', /names \.git\//],
    ['node_modules/**/*.yaml', /names node_modules\//],
    ['', /is empty/],
  ])('refuses %s, naming the glob and the fix', (pattern, reason) => {
    const problem = globProblem(pattern)
    expect(problem).toMatch(reason)
    expect(problem).toContain(JSON.stringify(pattern))
    expect(problem).toContain('recordings/**/*.yaml')
  })

  it('counts only .yaml and .yml files', () => {
    expect(['a.yaml', 'b.yml', 'C.YAML'].every(isYamlName)).toBe(true)
    expect(['config', 'environ', 'x.json', 'x.yaml.bak', 'yaml'].some(isYamlName)).toBe(false)
  })
})
