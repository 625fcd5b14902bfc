import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {checkOutputFile, writeOutputFile} from '../../src/app/write-output.js'
import {describeAnyOsError, describeOsError} from '../../src/shared/os-error.js'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, {recursive: true, force: true})
})
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'recallctl-out-'))
  dirs.push(dir)
  return dir
}

/** One sentence: no OS code, no stack, names the path. */
const sentence = (message: string, names: string) => {
  expect(message).toContain(names)
  expect(message).not.toMatch(/\bE[A-Z]{3,}\b|\n|\bat .+:\d+:\d+/)
}

describe('writeOutputFile', () => {
  it('writes atomically: the content is there and no temporary file is left', async () => {
    const dir = tempDir()
    writeFileSync(path.join(dir, 'plan.json'), 'old')
    await writeOutputFile(path.join(dir, 'plan.json'), 'new', 'the plan')
    expect(readFileSync(path.join(dir, 'plan.json'), 'utf8')).toBe('new')
    expect(readdirSync(dir)).toEqual(['plan.json'])
  })

  it('into a missing folder: one sentence naming the path', async () => {
    const dir = tempDir()
    const error = await writeOutputFile(path.join(dir, 'nope', 'plan.json'), 'x', 'the plan', 'nope/plan.json').catch(
      (e: Error) => e,
    )
    expect(error).toMatchObject({name: 'UserError'})
    sentence((error as Error).message, 'cannot write the plan to nope/plan.json: no such file or folder')
  })

  it('onto a folder: one sentence, the folder untouched', async () => {
    const dir = tempDir()
    mkdirSync(path.join(dir, 'out'))
    const error = await writeOutputFile(path.join(dir, 'out'), 'x', 'the plan', 'out').catch((e: Error) => e)
    sentence((error as Error).message, 'cannot write the plan to out: it is a folder')
    expect(readdirSync(path.join(dir, 'out'))).toEqual([])
  })

  it.runIf(existsSync('/dev/full'))('onto a full disk (/dev/full): one sentence', async () => {
    const error = await writeOutputFile('/dev/full', 'x'.repeat(10_000), 'the plan').catch((e: Error) => e)
    sentence((error as Error).message, 'cannot write the plan to /dev/full: the disk is full')
    expect(existsSync('/dev/full')).toBe(true)
  })

  it('checkOutputFile catches a missing folder, a file as folder and a folder as file before any work', async () => {
    const dir = tempDir()
    writeFileSync(path.join(dir, 'file'), '')
    mkdirSync(path.join(dir, 'sub'))
    await expect(checkOutputFile(path.join(dir, 'sub', 'plan.json'), 'the plan')).resolves.toBeUndefined()
    await expect(checkOutputFile(path.join(dir, 'missing', 'plan.json'), 'the plan', 'missing/plan.json')).rejects.toThrow(
      /no such file or folder/,
    )
    await expect(checkOutputFile(path.join(dir, 'file', 'plan.json'), 'the plan', 'file/plan.json')).rejects.toThrow(
      /is a file, not a folder/,
    )
    await expect(checkOutputFile(path.join(dir, 'sub'), 'the plan', 'sub')).rejects.toThrow(/is a folder, not a file/)
  })
})

describe('OS errors as sentences', () => {
  const errno = (code: string, extra: Record<string, unknown>) => Object.assign(new Error(`${code}: raw`), {code, ...extra})

  it.each([
    ['ENOENT', {syscall: 'open', path: '/p/x'}, 'cannot open /p/x: no such file or folder'],
    ['EISDIR', {syscall: 'open', path: '/p/d'}, 'cannot open /p/d: it is a folder, not a file'],
    ['ENOTDIR', {syscall: 'open', path: '/p/f/x'}, 'cannot open /p/f/x: a part of the path is a file'],
    ['EACCES', {syscall: 'open', path: '/root/x'}, 'cannot open /root/x: permission denied'],
    ['ENOSPC', {syscall: 'write', path: '/p/x'}, 'cannot write /p/x: the disk is full'],
    ['EEXIST', {syscall: 'mkdir', path: '/p/x'}, 'cannot create the folder /p/x: something already exists there'],
    ['EROFS', {syscall: 'open', path: '/p/x'}, 'cannot open /p/x: the file system is read-only'],
    ['EMFILE', {syscall: 'open', path: '/p/x'}, 'too many files are open'],
    [
      'EADDRINUSE',
      {syscall: 'listen', address: '127.0.0.1', port: 80},
      'cannot listen on 127.0.0.1:80: the port is already in use',
    ],
    [
      'ENOTFOUND',
      {syscall: 'getaddrinfo', hostname: 'nope.invalid'},
      'cannot resolve the host name nope.invalid: the host name does not resolve',
    ],
  ])('%s', (code, extra, expected) => {
    const message = describeAnyOsError(errno(code, extra)) as string
    expect(message).toContain(expected)
    expect(message).toMatch(/: [a-z][^:]+\. [A-Z].*\.$/)
    expect(message).not.toContain(code)
  })

  it('is not used for errors that are not OS errors a user causes (those stay bugs)', () => {
    expect(describeAnyOsError(new TypeError('x is undefined'))).toBeUndefined()
    expect(describeOsError(Object.assign(new Error('x'), {code: 'ERR_INTERNAL_ASSERTION'}), 'cannot')).toBeUndefined()
  })
})
