import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {REPO_ROOT} from '../gitops/support/examples.js'

/**
 * The package as npm publishes it. (.ci/package-smoke packs it, installs it without devDependencies
 * into an empty folder and runs validate and plan there: too slow for a unit test.)
 */

const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Record<string, any>
const REPO_URL = 'https://github.com/recallctl/recallctl'

describe('package.json', () => {
  it('says where the code, the home page and the issues are', () => {
    expect(pkg['repository']).toEqual({type: 'git', url: `git+${REPO_URL}.git`})
    expect(pkg['homepage']).toMatch(new RegExp(`^${REPO_URL}`))
    expect(pkg['bugs']).toEqual({url: `${REPO_URL}/issues`})
  })

  it('runs no script when a consumer installs it; the build runs before packing', () => {
    for (const name of ['preinstall', 'install', 'postinstall', 'prepare']) expect(pkg['scripts']).not.toHaveProperty(name)
    expect(pkg['scripts']['prepack']).toBe('npm run build')
  })

  it('ships the built CLI and its manifest, and the oclif plugins as dependencies', () => {
    expect(pkg['files']).toEqual(expect.arrayContaining(['bin', 'dist', 'oclif.manifest.json']))
    for (const plugin of pkg['oclif']['plugins'] as string[]) expect(pkg['dependencies']).toHaveProperty(plugin)
  })

  it('has the MIT LICENSE its license field names', () => {
    expect(pkg['license']).toBe('MIT')
    expect(readFileSync(path.join(REPO_ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/)
  })
})

describe('README links work from the package page', () => {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8')
  const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!)

  it('links files by absolute URLs into the repository, and each file exists', () => {
    expect(targets.length).toBeGreaterThan(3)
    for (const target of targets) {
      if (target.startsWith('#')) continue
      expect(target, 'a relative link breaks on the npm page').toMatch(/^https?:\/\//)
      const inRepo = new RegExp(`^${REPO_URL}/(?:blob|tree)/main/([^#]+)`).exec(target)
      if (inRepo) expect(existsSync(path.join(REPO_ROOT, inRepo[1]!)), target).toBe(true)
    }
  })
})
