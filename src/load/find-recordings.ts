import {readdir, realpath} from 'node:fs/promises'
import path from 'node:path'
import picomatch from 'picomatch'
import type {DiagnosticCode} from '../shared/diagnostic-codes.js'
import {describeOsError} from '../shared/os-error.js'
import {isYamlName, NEVER_READ_DIRS} from './glob-pattern.js'

/** A file a glob matched: a regular file to read (by its real path), or one refused, with why. */
export type RecordingsMatch =
  {kind: 'file'; file: string; realPath: string} | {kind: 'refused'; file: string; code: DiagnosticCode; message: string}

/** What the walk may still look at, shared by every glob of one load. */
export interface WalkBudget {
  entries: number
}

const joinRel = (dir: string, name: string) => (dir === '' ? name : `${dir}/${name}`)

/** Whether `real` is `rootReal` or inside it, and not inside a folder that is never read. */
function insideProject(rootReal: string, real: string): 'inside' | 'outside' | 'never-read' {
  const rel = path.relative(rootReal, real)
  if (rel === '') return 'inside'
  if (rel.startsWith('..') || path.isAbsolute(rel)) return 'outside'
  return rel.split(path.sep).some((part) => NEVER_READ_DIRS.has(part)) ? 'never-read' : 'inside'
}

/**
 * The `.yaml`/`.yml` entries under the project root (its real path) that one glob matches, sorted. The
 * walk never leaves the project: it starts from the glob's fixed folder (checked after resolving
 * symlinks), does not descend into symlinked folders, `.git/` or `node_modules/`, and resolves each
 * matched symlink to check that it points inside. Folders, FIFOs and devices that match are refused,
 * never opened. `overBudget` is set when the walk had to stop (too many entries).
 */
export async function findRecordings(
  rootReal: string,
  pattern: string,
  budget: WalkBudget,
): Promise<{matches: RecordingsMatch[]; overBudget: boolean}> {
  // "./recordings//x.yaml" names the same files as "recordings/x.yaml", and must show them the same way.
  pattern = pattern.replace(/^(\.\/)+/, '').replace(/\/{2,}/g, '/')
  const scan = picomatch.scan(pattern)
  const isMatch = picomatch(pattern, {dot: false})
  const base = scan.isGlob
    ? scan.base.replace(/\/+$/, '')
    : path.posix.dirname(pattern) === '.'
      ? ''
      : path.posix.dirname(pattern)
  const rest = scan.isGlob ? scan.glob : path.posix.basename(pattern)
  const maxDepth = rest.includes('**') ? Infinity : rest.split('/').length
  const matches: RecordingsMatch[] = []

  let baseReal: string
  try {
    baseReal = await realpath(path.join(rootReal, base))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return {matches, overBudget: false}
    matches.push({
      kind: 'refused',
      file: base,
      code: 'file_unreadable',
      message: describeOsError(error, 'cannot read the folder', base) ?? `cannot read the folder ${base}.`,
    })
    return {matches, overBudget: false}
  }
  if (insideProject(rootReal, baseReal) !== 'inside') {
    const message = `${base} is a symbolic link to a folder outside the project (or into .git/ or node_modules/): recordings globs may not leave the folder of recall.config.yaml. Move the files into the project.`
    matches.push({kind: 'refused', file: base, code: 'symlink_outside', message})
    return {matches, overBudget: false}
  }

  const queue: Array<{rel: string; real: string; depth: number}> = [{rel: base, real: baseReal, depth: 0}]
  while (queue.length > 0) {
    const dir = queue.shift() as {rel: string; real: string; depth: number}
    let entries
    try {
      entries = await readdir(dir.real, {withFileTypes: true})
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOTDIR' || code === 'ENOENT') continue
      matches.push({
        kind: 'refused',
        file: dir.rel || '.',
        code: 'file_unreadable',
        message: describeOsError(error, 'cannot read the folder', dir.rel || '.') ?? `cannot read the folder ${dir.rel || '.'}.`,
      })
      continue
    }
    for (const entry of entries) {
      if (NEVER_READ_DIRS.has(entry.name)) continue
      if (--budget.entries < 0) return {matches: sorted(matches), overBudget: true}
      const rel = joinRel(dir.rel, entry.name)
      const real = path.join(dir.real, entry.name)
      const matched = isYamlName(entry.name) && isMatch(rel)
      if (entry.isDirectory()) {
        if (matched)
          matches.push({
            kind: 'refused',
            file: rel,
            code: 'not_regular_file',
            message: `${rel} is a folder, not a file: recordings files are regular .yaml/.yml files. Rename the folder, or narrow the glob.`,
          })
        if (dir.depth + 1 < maxDepth) queue.push({rel, real, depth: dir.depth + 1})
      } else if (!matched) continue
      else if (entry.isFile()) matches.push({kind: 'file', file: rel, realPath: real})
      else if (entry.isSymbolicLink()) matches.push(await followLink(rootReal, rel, real))
      else matches.push(notRegular(rel))
    }
  }
  return {matches: sorted(matches), overBudget: false}
}

/** A matched symlink: read through it only when it resolves inside the project, outside never-read folders. */
async function followLink(rootReal: string, rel: string, link: string): Promise<RecordingsMatch> {
  let target: string
  try {
    target = await realpath(link)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT')
      return {
        kind: 'refused',
        file: rel,
        code: 'file_unreadable',
        message: `${rel} is a symbolic link to nothing (its target does not exist). Fix or remove the link.`,
      }
    return {
      kind: 'refused',
      file: rel,
      code: 'file_unreadable',
      message: describeOsError(error, 'cannot follow the link', rel) ?? `cannot follow the link ${rel}.`,
    }
  }
  const where = insideProject(rootReal, target)
  if (where === 'outside')
    return {
      kind: 'refused',
      file: rel,
      code: 'symlink_outside',
      message: `${rel} is a symbolic link to a file outside the project: recallctl reads only files inside the folder of recall.config.yaml. Copy the file into the project instead of linking to it.`,
    }
  if (where === 'never-read')
    return {
      kind: 'refused',
      file: rel,
      code: 'symlink_outside',
      message: `${rel} is a symbolic link into .git/ or node_modules/, which recallctl never reads. Copy the file into the project instead of linking to it.`,
    }
  return {kind: 'file', file: rel, realPath: target}
}

const notRegular = (rel: string): RecordingsMatch => ({
  kind: 'refused',
  file: rel,
  code: 'not_regular_file',
  message: `${rel} is not a regular file (a pipe, socket or device): recordings files are regular .yaml/.yml files. Remove it, or narrow the glob.`,
})

const sorted = (matches: RecordingsMatch[]) => matches.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
