import {realpath} from 'node:fs/promises'
import path from 'node:path'
import type {Diagnostic} from '../shared/diagnostics.js'
import {formatCount, MAX_RECORDINGS_FILES, MAX_WALKED_ENTRIES, READ_CONCURRENCY} from '../shared/limits.js'
import {describeOsError} from '../shared/os-error.js'
import {findRecordings, type RecordingsMatch} from './find-recordings.js'
import {globProblem} from './glob-pattern.js'
import {mapWithLimit} from './map-limit.js'
import {CONFIG_FILE, DEFAULT_RECORDINGS_GLOBS, type LoadedProject} from './project-files.js'
import {readBoundedFile, type BoundedRead} from './read-bounded.js'
import {locate, parseSource, type SourceDocument} from './source-document.js'

export {CONFIG_FILE, DEFAULT_RECORDINGS_GLOBS, type LoadedProject} from './project-files.js'

/**
 * Reads `recall.config.yaml` and every recordings file its globs match, sorted by path. The globs stay
 * inside the config's folder (README, "Limits"): an absolute or `..` pattern, one naming `.git/` or
 * `node_modules/`, or a match that resolves outside is an error, and nothing outside is ever opened.
 * Files are read READ_CONCURRENCY at a time, each within MAX_FILE_BYTES.
 */
export async function readProject(root: string): Promise<LoadedProject> {
  const diagnostics: Diagnostic[] = []
  const configRead = await readBoundedFile(path.join(root, CONFIG_FILE), CONFIG_FILE)
  const config = parseRead(CONFIG_FILE, configRead, diagnostics, root)
  // Without the config there is no project here: its globs would only add noise to the one real error.
  if (!config) return {root, config, recordings: [], diagnostics}
  let rootReal: string
  try {
    rootReal = await realpath(root)
  } catch (error) {
    diagnostics.push({
      severity: 'error',
      code: 'file_unreadable',
      message: describeOsError(error, 'cannot read the folder', root) ?? `cannot read the folder ${root}.`,
    })
    return {root, config, recordings: [], diagnostics}
  }

  const toRead: Array<Extract<RecordingsMatch, {kind: 'file'}>> = []
  const seen = new Set<string>()
  const budget = {entries: MAX_WALKED_ENTRIES}
  let full = false
  for (const [i, pattern] of recordingsGlobs(config.value).entries()) {
    const where = locate(config, ['recordings', i])
    const problem = globProblem(pattern)
    if (problem) {
      diagnostics.push({severity: 'error', code: 'glob_outside_project', message: problem, ...where})
      continue
    }
    if (full) continue
    const {matches, overBudget} = await findRecordings(rootReal, pattern, budget)
    if (overBudget) {
      full = true
      diagnostics.push({
        severity: 'error',
        code: 'too_many_files',
        message: `recordings glob "${pattern}" makes recallctl look at more than ${formatCount(MAX_WALKED_ENTRIES)} folder entries. Narrow it to the folder that holds your recordings files, e.g. "recordings/**/*.yaml".`,
        ...where,
      })
    } else if (matches.length === 0)
      diagnostics.push({
        severity: 'error',
        code: 'empty_glob',
        message: `recordings glob "${pattern}" matches no file. Add a .yaml or .yml file there, or fix the pattern in recordings: (paths are relative to ${CONFIG_FILE}).`,
        ...where,
      })
    for (const match of matches) {
      // The config is never a recordings file, even for a glob as wide as "**/*.yaml".
      if (seen.has(match.file) || match.file === CONFIG_FILE) continue
      seen.add(match.file)
      if (match.kind === 'refused') {
        diagnostics.push({severity: 'error', code: match.code, message: match.message, file: match.file})
        continue
      }
      if (toRead.length >= MAX_RECORDINGS_FILES) {
        full = true
        diagnostics.push({
          severity: 'error',
          code: 'too_many_files',
          message: `the recordings globs match more than ${formatCount(MAX_RECORDINGS_FILES)} files (the limit). Merge small files into fewer, or narrow the globs.`,
          ...where,
        })
        break
      }
      toRead.push(match)
    }
  }

  const reads = await mapWithLimit(toRead, READ_CONCURRENCY, (match) => readBoundedFile(match.realPath, match.file))
  const recordings: SourceDocument[] = []
  for (const [i, match] of toRead.entries()) {
    const source = parseRead(match.file, reads[i] as BoundedRead, diagnostics, root)
    if (source) recordings.push(source)
  }
  recordings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
  return {root, config, recordings, diagnostics}
}

function parseRead(file: string, read: BoundedRead, diagnostics: Diagnostic[], root: string): SourceDocument | undefined {
  if (!('text' in read)) {
    const missingConfig = file === CONFIG_FILE && read.errno === 'ENOENT'
    diagnostics.push({
      severity: 'error',
      code: read.code,
      message: missingConfig
        ? `${file} not found in ${root}. Run recallctl from the directory that holds ${CONFIG_FILE}, or pass --dir.`
        : read.message,
      file,
      ...(read.code === 'file_too_large' || read.code === 'not_text' ? {line: 1, column: 1} : {}),
    })
    return undefined
  }
  const parsed = parseSource(file, read.text)
  diagnostics.push(...parsed.diagnostics)
  return parsed.source
}

function recordingsGlobs(configValue: unknown): string[] {
  const value = (configValue as {recordings?: unknown} | undefined)?.recordings
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value as string[]
  return DEFAULT_RECORDINGS_GLOBS
}
