import {execFileSync} from 'node:child_process'
import {randomUUID} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {
  MAX_EXTENDS_CHAIN,
  MAX_FILE_BYTES,
  MAX_METADATA_KEYS,
  MAX_NESTING_DEPTH,
  MAX_RECORDINGS_FILES,
} from '../../src/shared/limits.js'
import {BIN, startProcess, type CliResult} from '../support/e2e.js'
import {expectSafe, hostileProject, type HostileProject} from './support/hostile.js'

/**
 * Hostile files: globs that reach outside the project, links, special files, huge or bomb-shaped YAML,
 * and output paths that cannot be written. Each is an exit 1 with one sentence naming the file (and
 * line) and the fix, no request to Recall, no crash text, and nothing from a file outside the project.
 */

/** Text of every file outside the project; it must never appear in any output. */
const MARKER = 'OUTSIDE-FILE-MARKER-4be1d2'
const ENV_MARKER = 'ENVIRON-MARKER-91c7a0'

const outsideDirs: string[] = []
afterEach(() => {
  for (const dir of outsideDirs.splice(0)) rmSync(dir, {recursive: true, force: true})
})

/** A folder next to the project (`../<name>` from it) holding a recordings-shaped file with the marker. */
function outside(h: HostileProject): {dir: string; name: string; file: string} {
  const name = `recallctl-outside-${randomUUID()}`
  const dir = path.join(path.dirname(h.project.dir), name)
  mkdirSync(dir)
  outsideDirs.push(dir)
  const file = path.join(dir, 'secret.yaml')
  writeFileSync(
    file,
    `profiles:\n  ${MARKER}:\n    retention: {type: forever}\n    metadata: {note: "${MARKER}"}\nassignments: [{profile: ${MARKER}, bots: [${MARKER}]}]\n`,
  )
  return {dir, name, file}
}

/** Rewrites the config's `recordings:` line (line 5 of the test project's config). */
function setGlobs(h: HostileProject, globs: string[]): void {
  const file = path.join(h.project.dir, 'recall.config.yaml')
  const text = readFileSync(file, 'utf8').replace(
    /^recordings: .*$/m,
    `recordings: [${globs.map((g) => JSON.stringify(g)).join(', ')}]`,
  )
  writeFileSync(file, text)
}

const inProject = (h: HostileProject, file: string) => path.join(h.project.dir, file)
const plan = (h: HostileProject, ...args: string[]) => h.run(['plan', ...args], {env: {ENV_MARKER}})

/** The common promises of a refused input: exit 1, no request, nothing from outside, and what it says. */
function refused(result: CliResult, h: HostileProject, says: RegExp | RegExp[]): void {
  expectSafe(result, h, {exitCode: 1, requests: 'none', forbidden: [MARKER, ENV_MARKER], says})
}

describe('globs and links never leave the project', () => {
  it('an absolute glob (/etc/passwd) is refused at its place in the config', async () => {
    const h = await hostileProject()
    setGlobs(h, ['recordings/**/*.yaml', '/etc/passwd'])
    refused(await plan(h), h, [/recall\.config\.yaml:5:38\b.*"\/etc\/passwd" is an absolute path/, /recordings\/\*\*\/\*\.yaml/])
  })

  it('a glob climbing out with .. is refused, and the file there is never read', async () => {
    const h = await hostileProject()
    const {name} = outside(h)
    setGlobs(h, [`../${name}/*.yaml`])
    refused(await plan(h), h, /recall\.config\.yaml:5:\d+.*climbs out with "\.\."/)
  })

  it('a brace glob hiding .. is refused', async () => {
    const h = await hostileProject()
    const {name} = outside(h)
    setGlobs(h, [`{recordings,../${name}}/*.yaml`])
    refused(await plan(h), h, /climbs out/)
  })

  it('.git/config is never read', async () => {
    const h = await hostileProject()
    h.write('.git/config', `[remote "origin"]\n  url = https://user:${MARKER}@example.com/x.git\n`)
    setGlobs(h, ['.git/config'])
    refused(await plan(h), h, /recall\.config\.yaml:5:\d+.*names \.git\/, which recallctl never reads/)
  })

  it('/proc/self/environ is never read, as a glob', async () => {
    const h = await hostileProject()
    setGlobs(h, ['/proc/self/environ'])
    refused(await plan(h), h, /"\/proc\/self\/environ" is an absolute path/)
  })

  it.runIf(existsSync('/proc/self/environ'))('/proc/self/environ is never read, through a link', async () => {
    const h = await hostileProject()
    symlinkSync('/proc/self/environ', inProject(h, 'recordings/env.yaml'))
    refused(await plan(h), h, /recordings\/env\.yaml is a symbolic link to a file outside the project/)
  })

  it('a symlink to a file outside is refused, naming the link', async () => {
    const h = await hostileProject()
    symlinkSync(outside(h).file, inProject(h, 'recordings/shared.yaml'))
    refused(
      await plan(h),
      h,
      /recordings\/shared\.yaml is a symbolic link to a file outside the project.*Copy the file into the project/,
    )
  })

  it('a symlinked folder pointing outside is refused', async () => {
    const h = await hostileProject()
    symlinkSync(outside(h).dir, inProject(h, 'shared'))
    setGlobs(h, ['recordings/**/*.yaml', 'shared/*.yaml'])
    refused(await plan(h), h, /shared is a symbolic link to a folder outside the project/)
  })
})

describe('only bounded regular files are read', () => {
  it.runIf(process.platform !== 'win32')('a FIFO named .yaml is refused, never opened (no hang)', async () => {
    const h = await hostileProject()
    execFileSync('mkfifo', [inProject(h, 'recordings/pipe.yaml')])
    refused(await plan(h), h, /recordings\/pipe\.yaml is not a regular file/)
  })

  it('/dev/urandom linked as a .yaml file is refused, never read', async () => {
    const h = await hostileProject()
    symlinkSync('/dev/urandom', inProject(h, 'recordings/random.yaml'))
    refused(await plan(h), h, /recordings\/random\.yaml is a symbolic link to a file outside the project/)
  })

  it('a folder named x.yaml is refused', async () => {
    const h = await hostileProject()
    mkdirSync(inProject(h, 'recordings/x.yaml'))
    refused(await plan(h), h, /recordings\/x\.yaml is a folder, not a file/)
  })

  it('a 50 MB file is refused from its size, with the cap', async () => {
    const h = await hostileProject()
    const big = inProject(h, 'recordings/big.yaml')
    writeFileSync(big, '')
    truncateSync(big, 50 * 1024 * 1024)
    refused(
      await plan(h),
      h,
      new RegExp(
        `recordings/big\\.yaml:1:1\\b.*52,428,800 bytes, over the limit of ${MAX_FILE_BYTES.toLocaleString('en-US')} bytes`,
      ),
    )
  })

  it(`more than ${MAX_RECORDINGS_FILES.toLocaleString('en-US')} files are refused at the glob`, async () => {
    const h = await hostileProject()
    for (let i = 0; i < MAX_RECORDINGS_FILES; i++) writeFileSync(inProject(h, `recordings/f${i}.yaml`), '')
    refused(
      await plan(h),
      h,
      new RegExp(`recall\\.config\\.yaml:5:\\d+.*more than ${MAX_RECORDINGS_FILES.toLocaleString('en-US')} files`),
    )
  })

  it.runIf(process.platform !== 'win32')(
    '3,000 recordings files load under ulimit -n 256 (no EMFILE)',
    {timeout: 180_000},
    async () => {
      const h = await hostileProject()
      for (let i = 0; i < 3000; i++)
        h.write(`recordings/many/f${i}.yaml`, `profiles:\n  p${i}:\n    retention: {type: forever}\n`)
      const result = await runUnderUlimit(h, ['validate'])
      expectSafe(result, h, {exitCode: 0, requests: 'none', says: /Valid: 3,?002 files/})
    },
  )
})

describe('YAML bombs and mistakes are diagnostics with their line', () => {
  it('flow nesting 100,000 deep is refused before parsing', async () => {
    const h = await hostileProject()
    h.write('recordings/deep.yaml', `profiles:\n  a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`)
    refused(await plan(h), h, new RegExp(`recordings/deep\\.yaml:2:\\d+.*nested more than ${MAX_NESTING_DEPTH} levels`))
  })

  it('block nesting past the cap is refused', async () => {
    const h = await hostileProject()
    const lines = ['profiles:']
    for (let i = 1; i <= MAX_NESTING_DEPTH + 2; i++) lines.push(`${'  '.repeat(i)}k${i}:`)
    h.write('recordings/deep.yaml', `${lines.join('\n')} x\n`)
    refused(await plan(h), h, /recordings\/deep\.yaml:\d+:\d+.*nested more than/)
  })

  it('an alias bomb is a clean error at its line', async () => {
    const h = await hostileProject()
    const lines = ['x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]']
    for (let i = 1; i <= 9; i++) lines.push(`x${i}: &x${i} [${Array.from({length: 10}, () => `*x${i - 1}`).join(', ')}]`)
    h.write('recordings/bomb.yaml', `${lines.join('\n')}\n`)
    refused(await plan(h), h, /recordings\/bomb\.yaml:2:\d+.*aliases in this file expand to more than 100 nodes/)
  })

  it('an undefined alias is a clean error at its line', async () => {
    const h = await hostileProject()
    h.write('recordings/alias.yaml', 'profiles:\n  a:\n    retention: *missing\n')
    refused(await plan(h), h, /recordings\/alias\.yaml:3:16\b.*\*missing refers to no anchor/)
  })

  it('a key written twice names both lines', async () => {
    const h = await hostileProject()
    h.write('recordings/dup.yaml', 'profiles:\n  a:\n    retention: {type: forever}\n    retention: {type: timed, hours: 1}\n')
    refused(await plan(h), h, /recordings\/dup\.yaml:4:5\b.*"retention" appears twice in the same map, at lines 3 and 4\b/)
  })

  it(`an extends chain longer than ${MAX_EXTENDS_CHAIN} is refused`, async () => {
    const h = await hostileProject()
    const lines = ['profiles:', '  p0:', '    retention: {type: forever}']
    for (let i = 1; i <= MAX_EXTENDS_CHAIN + 3; i++) lines.push(`  p${i}:`, `    extends: p${i - 1}`)
    h.write('recordings/chain.yaml', `${lines.join('\n')}\n`)
    refused(
      await plan(h),
      h,
      new RegExp(`recordings/chain\\.yaml:\\d+:\\d+.*extends chain of more than ${MAX_EXTENDS_CHAIN} profiles`),
    )
  })

  it(`a metadata map of more than ${MAX_METADATA_KEYS} keys is refused`, async () => {
    const h = await hostileProject()
    const keys = Array.from({length: MAX_METADATA_KEYS + 1}, (_, i) => `      k${i}: "v"`)
    h.write(
      'recordings/meta.yaml',
      ['profiles:', '  big:', '    retention: {type: forever}', '    metadata:', ...keys, ''].join('\n'),
    )
    refused(await plan(h), h, /recordings\/meta\.yaml:4:5\b.*over the limit of 1,000 keys/)
  })
})

describe('outputs that cannot be written are sentences, not bugs', () => {
  it('plan --out into a missing folder fails before Recall is read', async () => {
    const h = await hostileProject()
    const result = await plan(h, '--out', 'missing/plan.json')
    refused(
      result,
      h,
      /cannot write the plan to missing\/plan\.json: no such file or folder\. Check the path, or create the folder first\./,
    )
  })

  it('plan --out onto a folder fails before Recall is read', async () => {
    const h = await hostileProject()
    mkdirSync(inProject(h, 'plans'))
    refused(await plan(h, '--out', 'plans'), h, /cannot write the plan to plans: it is a folder, not a file/)
  })

  it.runIf(existsSync('/dev/full'))(
    'plan --out onto a full disk (/dev/full) says so; nothing was written to Recall',
    async () => {
      const h = await hostileProject()
      const result = await plan(h, '--out', '/dev/full')
      expectSafe(result, h, {exitCode: 1, requests: 'reads', says: /cannot write the plan to \/dev\/full: the disk is full/})
    },
  )

  it('schema --out onto a file', async () => {
    const h = await hostileProject()
    h.write('schemas', 'not a folder\n')
    const result = await h.run(['schema', '--out', 'schemas'])
    refused(result, h, /cannot write the schemas into schemas: it is a file, not a folder/)
    expect(readFileSync(inProject(h, 'schemas'), 'utf8')).toBe('not a folder\n')
  })

  it('a step summary file that cannot be written is a warning naming it; the plan still succeeds', async () => {
    const h = await hostileProject()
    mkdirSync(inProject(h, 'summary.md'))
    const result = await h.run(['plan'], {env: {GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: inProject(h, 'summary.md')}})
    expectSafe(result, h, {
      exitCode: 0,
      requests: 'reads',
      says: /Warning: the step summary was not written: cannot open .*summary\.md: it is a folder, not a file\./,
    })
  })

  it('watch --listen on a host name that does not resolve', async () => {
    const h = await hostileProject()
    const result = await h.run(['watch', '--listen', 'no-such-host.invalid:8080'])
    refused(result, h, /--listen no-such-host\.invalid:8080: the host name does not resolve\. Use an address of this machine/)
  })
})

/** The built CLI with at most 256 open files (ulimit -n), as on a constrained runner. */
function runUnderUlimit(h: HostileProject, args: readonly string[]): Promise<CliResult> {
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')
  return startProcess('sh', ['-c', `ulimit -n 256 && exec ${quoted}`], {cwd: h.project.dir, env: h.project.env}).exited
}
