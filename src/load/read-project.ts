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
  const globs = recordingsGlobs(config?.value)
  const recordings: SourceDocument[] = []
  for (const [i, pattern] of globs.entries()) {
    const files = (await glob(pattern, {cwd: root, onlyFiles: true, dot: false, expandDirectories: false})).sort()
    if (files.length === 0)
      diagnostics.push({
        severity: 'error',
        code: 'empty_glob',
        message: `recordings glob "${pattern}" matches no file. Add a YAML file there, or fix the pattern in recordings: (paths are relative to ${CONFIG_FILE}).`,
        ...(config ? locate(config, ['recordings', i]) : {}),
      })
    for (const file of files) {
      if (recordings.some((r) => r.file === file)) continue
      const source = await readSource(root, file, diagnostics)
      if (source) recordings.push(source)
    }
  }
  recordings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
  return {root, config, recordings, diagnostics}
}

async function readSource(root: string, file: string, diagnostics: Diagnostic[]): Promise<SourceDocument | undefined> {
  let text: string
  try {
    text = await readFile(path.join(root, file), 'utf8')
  } catch (error) {
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
  const parsed = parseSource(file.split(path.sep).join('/'), text)
  diagnostics.push(...parsed.diagnostics)
  return parsed.source
}

function recordingsGlobs(configValue: unknown): string[] {
  const value = (configValue as {recordings?: unknown} | undefined)?.recordings
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value as string[]
  return DEFAULT_RECORDINGS_GLOBS
}
