import {execFileSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, truncateSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {findRecordings} from '../../src/load/find-recordings.js'
import {readProject} from '../../src/load/read-project.js'
import {MAX_FILE_BYTES, MAX_RECORDINGS_FILES} from '../../src/shared/limits.js'

const MARKER = 'OUTSIDE-MARKER-7f3a9c'
const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, {recursive: true, force: true})
})

/** A folder holding `project/` (recall.config.yaml with `globs`) and `outside/secret.yaml` (the marker). */
function setup(globs: string[] = ['recordings/**/*.yaml']): {
  root: string
  outside: string
  write: (file: string, text: string) => string
} {
  const base = mkdtempSync(path.join(tmpdir(), 'recallctl-load-'))
  dirs.push(base)
  const root = path.join(base, 'project')
  const outside = path.join(base, 'outside')
  mkdirSync(path.join(root, 'recordings'), {recursive: true})
  mkdirSync(outside)
  writeFileSync(path.join(outside, 'secret.yaml'), `profiles:\n  ${MARKER}:\n    retention: {type: forever}\n`)
  const write = (file: string, text: string) => {
    const full = path.join(root, file)
    mkdirSync(path.dirname(full), {recursive: true})
    writeFileSync(full, text)
    return full
  }
  write(
    'recall.config.yaml',
    `version: 1\napi:\n  base_url: sandbox\nrecordings: [${globs.map((g) => JSON.stringify(g)).join(', ')}]\n`,
  )
  write('recordings/ok.yaml', 'profiles:\n  ok:\n    retention: {type: forever}\n')
  return {root, outside, write}
}

async function load(root: string) {
  const loaded = await readProject(root)
  const shown = JSON.stringify(loaded.diagnostics)
  expect(shown).not.toContain(MARKER)
  return {
    loaded,
    files: loaded.recordings.map((r) => r.file),
    problems: loaded.diagnostics.map((d) => ({code: d.code, file: d.file, line: d.line, message: d.message})),
  }
}

describe('readProject keeps to the project', () => {
  it('refuses a glob that leaves the folder, at its line and column in the config', async () => {
    const {root} = setup(['recordings/**/*.yaml', '/etc/passwd', '../outside/*.yaml', '.git/config'])
    const {files, loaded} = await load(root)
    expect(files).toEqual(['recordings/ok.yaml'])
    expect(loaded.diagnostics.map((d) => `${d.code}@${d.file}:${d.line}:${d.column}`)).toEqual([
      'glob_outside_project@recall.config.yaml:4:38',
      'glob_outside_project@recall.config.yaml:4:53',
      'glob_outside_project@recall.config.yaml:4:74',
    ])
  })

  it('refuses a symlink to a file outside, naming the link and never reading the target', async () => {
    const {root, outside} = setup()
    symlinkSync(path.join(outside, 'secret.yaml'), path.join(root, 'recordings', 'linked.yaml'))
    const {files, problems} = await load(root)
    expect(files).toEqual(['recordings/ok.yaml'])
    expect(problems).toEqual([
      {
        code: 'symlink_outside',
        file: 'recordings/linked.yaml',
        line: undefined,
        message: expect.stringContaining('recordings/linked.yaml is a symbolic link to a file outside the project'),
      },
    ])
  })

  it('refuses a symlink into .git/, and never walks .git/ or node_modules/', async () => {
    const {root, write} = setup(['**/*.yaml'])
    write('.git/hooks.yaml', `${MARKER}: 1\n`)
    write('node_modules/pkg/x.yaml', `${MARKER}: 1\n`)
    write('recordings/node_modules/y.yaml', `${MARKER}: 1\n`)
    symlinkSync(path.join(root, '.git', 'hooks.yaml'), path.join(root, 'recordings', 'git.yaml'))
    const {files, problems} = await load(root)
    expect(files).toEqual(['recordings/ok.yaml'])
    expect(problems.map((p) => `${p.code} ${p.file}`)).toEqual(['symlink_outside recordings/git.yaml'])
  })

  it('refuses a recordings folder that is a symlink to outside', async () => {
    const {root, outside} = setup(['shared/*.yaml'])
    symlinkSync(outside, path.join(root, 'shared'))
    const {problems} = await load(root)
    expect(problems.map((p) => `${p.code} ${p.file}`)).toEqual(['symlink_outside shared'])
  })

  it('does not descend into symlinked folders, and reads symlinks that stay inside', async () => {
    const {root, outside, write} = setup()
    symlinkSync(outside, path.join(root, 'recordings', 'sub'))
    write('other/inner.yaml', 'profiles:\n  inner:\n    retention: {type: forever}\n')
    symlinkSync(path.join(root, 'other', 'inner.yaml'), path.join(root, 'recordings', 'inner.yaml'))
    const {files, problems} = await load(root)
    expect(problems).toEqual([])
    expect(files).toEqual(['recordings/inner.yaml', 'recordings/ok.yaml'])
  })

  it('refuses /dev/urandom linked as a .yaml file (outside), without reading it', async () => {
    const {root} = setup()
    symlinkSync('/dev/urandom', path.join(root, 'recordings', 'random.yaml'))
    const {problems} = await load(root)
    expect(problems.map((p) => `${p.code} ${p.file}`)).toEqual(['symlink_outside recordings/random.yaml'])
  })

  it('only .yaml/.yml files count', async () => {
    const {root, write} = setup(['recordings/*'])
    write('recordings/notes.txt', `${MARKER}\n`)
    write('recordings/b.yml', 'profiles: {}\n')
    const {files, problems} = await load(root)
    expect(problems).toEqual([])
    expect(files).toEqual(['recordings/b.yml', 'recordings/ok.yaml'])
  })
})

describe('findRecordings', () => {
  it('stops walking when the entry budget is spent, and says so', async () => {
    const {root, write} = setup()
    for (let i = 0; i < 10; i++) write(`recordings/d${i}/x.yaml`, '')
    const result = await findRecordings(realpathSync(root), 'recordings/**/*.yaml', {entries: 5})
    expect(result.overBudget).toBe(true)
    const full = await findRecordings(realpathSync(root), 'recordings/**/*.yaml', {entries: 1000})
    expect(full.overBudget).toBe(false)
    expect(full.matches).toHaveLength(11)
  })
})

describe('readProject matches globs as written', () => {
  it('"./x" and "x//y" name the same files as "x" and "x/y", each read once', async () => {
    const {root, write} = setup(['./recordings/*.yaml', 'recordings//sub/*.yml', 'recordings/**/*.yaml'])
    write('recordings/sub/b.yml', 'profiles: {}\n')
    const {files, problems} = await load(root)
    expect(problems).toEqual([])
    expect(files).toEqual(['recordings/ok.yaml', 'recordings/sub/b.yml'])
  })
})

describe('readProject reads only bounded regular files', () => {
  it('refuses a FIFO named .yaml without opening it (no hang)', async () => {
    const {root} = setup()
    execFileSync('mkfifo', [path.join(root, 'recordings', 'pipe.yaml')])
    const {files, problems} = await load(root)
    expect(files).toEqual(['recordings/ok.yaml'])
    expect(problems.map((p) => `${p.code} ${p.file}`)).toEqual(['not_regular_file recordings/pipe.yaml'])
  })

  it('refuses a folder named x.yaml', async () => {
    const {root} = setup()
    mkdirSync(path.join(root, 'recordings', 'x.yaml'))
    const {problems} = await load(root)
    expect(problems.map((p) => `${p.code} ${p.file}`)).toEqual(['not_regular_file recordings/x.yaml'])
  })

  it('refuses a file over the size cap from its size alone, with the cap in the message', async () => {
    const {root} = setup()
    const big = path.join(root, 'recordings', 'big.yaml')
    writeFileSync(big, '')
    truncateSync(big, 50 * 1024 * 1024) // sparse: 50 MB that take no time to "read" if we never do
    const {problems} = await load(root)
    expect(problems).toEqual([
      {
        code: 'file_too_large',
        file: 'recordings/big.yaml',
        line: 1,
        message: expect.stringContaining(MAX_FILE_BYTES.toLocaleString('en-US')),
      },
    ])
  })

  it('accepts a file just under the cap', {timeout: 120_000}, async () => {
    const {root, write} = setup()
    write('recordings/padded.yaml', `profiles: {}\n${'#'.repeat(MAX_FILE_BYTES - 20)}\n`)
    const {problems} = await load(root)
    expect(problems).toEqual([])
  })

  it('refuses a file that is not UTF-8 text', async () => {
    const {root} = setup()
    writeFileSync(path.join(root, 'recordings', 'bin.yaml'), Buffer.from([0x61, 0x3a, 0x20, 0xff, 0xfe, 0x0a]))
    const {problems} = await load(root)
    expect(problems.map((p) => `${p.code} ${p.file}`)).toEqual(['not_text recordings/bin.yaml'])
  })

  it('refuses a config that is a folder, and says a missing one is missing', async () => {
    const {root} = setup()
    rmSync(path.join(root, 'recall.config.yaml'))
    expect((await load(root)).problems).toEqual([
      {
        code: 'file_unreadable',
        file: 'recall.config.yaml',
        line: undefined,
        message: expect.stringContaining('recall.config.yaml not found in'),
      },
    ])
    mkdirSync(path.join(root, 'recall.config.yaml'))
    expect((await load(root)).problems.map((p) => p.code)).toEqual(['not_regular_file'])
  })

  it(`refuses more than ${MAX_RECORDINGS_FILES} files, at the glob`, {timeout: 120_000}, async () => {
    const {root} = setup()
    for (let i = 0; i < MAX_RECORDINGS_FILES; i++) writeFileSync(path.join(root, 'recordings', `f${i}.yaml`), '')
    const {loaded} = await load(root)
    const tooMany = loaded.diagnostics.filter((d) => d.code === 'too_many_files')
    expect(tooMany.map((d) => `${d.file}:${d.line}`)).toEqual(['recall.config.yaml:4'])
    expect(tooMany[0]?.message).toContain(MAX_RECORDINGS_FILES.toLocaleString('en-US'))
    expect(loaded.recordings).toHaveLength(MAX_RECORDINGS_FILES)
  })
})
