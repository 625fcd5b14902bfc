import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {glob} from 'tinyglobby'
import type {Diagnostic} from '../shared/diagnostics.js'
import {locate, parseSource, type SourceDocument} from './source-document.js'

export const CONFIG_FILE = 'recall.config.yaml'
export const DEFAULT_RECORDINGS_GLOBS = ['recordings/**/*.yaml']

/** Every file of a project, parsed. Reading never stops at the first problem. */
export interface LoadedProject {
  root: string
  config: SourceDocument | undefined
  recordings: SourceDocument[]
  diagnostics: Diagnostic[]
}

/** Reads `recall.config.yaml` and every recordings file its globs match, sorted by path. */
export async function readProject(root: string): Promise<LoadedProject> {
  const diagnostics: Diagnostic[] = []
  const config = await readSource(root, CONFIG_FILE, diagnostics)
  // Without the config there is no project here: its globs would only add noise to the one real error.
  if (!config) return {root, config, recordings: [], diagnostics}
  const globs = recordingsGlobs(config?.value)
  const recordings: SourceDocument[] = []
  const seen = new Set<string>()
  for (const [i, pattern] of globs.entries()) {
    const files = (await glob(pattern, {cwd: root, onlyFiles: true, dot: false, expandDirectories: false})).sort()
    if (files.length === 0)
      diagnostics.push({
        severity: 'error',
        code: 'empty_glob',
        message: `recordings glob "${pattern}" matches no file. Add a YAML file there, or fix the pattern in recordings: (paths are relative to ${CONFIG_FILE}).`,
        ...(config ? locate(config, ['recordings', i]) : {}),
      })
    // Read the files at once (one await per file adds up on a busy runner), then parse them in order.
    const fresh = files.filter((file) => !seen.has(file))
    for (const file of fresh) seen.add(file)
    const texts = await Promise.all(fresh.map((file) => readText(root, file)))
    for (const [j, file] of fresh.entries()) {
      const source = parseRead(file, texts[j] as ReadText, root, diagnostics)
      if (source) recordings.push(source)
    }
  }
  recordings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
  return {root, config, recordings, diagnostics}
}

type ReadText = {text: string} | {error: unknown}

async function readText(root: string, file: string): Promise<ReadText> {
  try {
    return {text: await readFile(path.join(root, file), 'utf8')}
  } catch (error) {
    return {error}
  }
}

async function readSource(root: string, file: string, diagnostics: Diagnostic[]): Promise<SourceDocument | undefined> {
  return parseRead(file, await readText(root, file), root, diagnostics)
}

function parseRead(file: string, read: ReadText, root: string, diagnostics: Diagnostic[]): SourceDocument | undefined {
  if ('error' in read) {
    const error = read.error
    const code = (error as NodeJS.ErrnoException).code
    diagnostics.push({
      severity: 'error',
      code: 'file_unreadable',
      message:
        code === 'ENOENT'
          ? `${file} not found in ${root}. Run recallctl from the directory that holds ${CONFIG_FILE}, or pass --dir.`
          : `${file} cannot be read (${code ?? String(error)}).`,
      file,
    })
    return undefined
  }
  const parsed = parseSource(file.split(path.sep).join('/'), read.text)
  diagnostics.push(...parsed.diagnostics)
  return parsed.source
}

function recordingsGlobs(configValue: unknown): string[] {
  const value = (configValue as {recordings?: unknown} | undefined)?.recordings
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value as string[]
  return DEFAULT_RECORDINGS_GLOBS
}
