import {CONFIG_FILE, type LoadedProject} from '../../../src/load/read-project.js'
import {parseSource} from '../../../src/load/source-document.js'
import {resolveProject} from '../../../src/resolve/resolve-project.js'
import type {ResolvedProject} from '../../../src/resolve/types.js'
import type {Diagnostic} from '../../../src/shared/diagnostics.js'
import type {EnvCheck, ValidatedProject} from '../../../src/validate/types.js'
import {validateProject} from '../../../src/validate/validate-project.js'

/** File path (relative to the project root) → YAML text. */
export type ProjectFiles = Readonly<Record<string, string>>

/** The smallest valid config: the embedded sandbox, default globs. */
export const MINIMAL_CONFIG = 'version: 1\napi:\n  base_url: sandbox\n'

/**
 * What `readProject` gives for these files, without touching the disk: `recall.config.yaml` is the
 * config, every other file is a recordings file (as if the globs matched it), sorted by path the way
 * readProject sorts them. `order` lets a test feed the files in another order to prove it does not matter.
 */
export function loadInMemory(files: ProjectFiles, options: {order?: readonly string[]} = {}): LoadedProject {
  const diagnostics: Diagnostic[] = []
  const parse = (file: string) => {
    const parsed = parseSource(file, files[file] as string)
    diagnostics.push(...parsed.diagnostics)
    return parsed.source
  }
  const config = files[CONFIG_FILE] === undefined ? undefined : parse(CONFIG_FILE)
  const names = (options.order ?? Object.keys(files)).filter((f) => f !== CONFIG_FILE)
  const recordings = names.map(parse).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
  return {root: '/in-memory', config, recordings, diagnostics}
}

export interface RunOptions {
  /** `validate` warns about an unset `${env:}` variable; `plan` (and apply) make it an error. */
  mode?: 'validate' | 'plan'
  env?: Record<string, string | undefined>
  order?: readonly string[]
}

export interface ProjectRun {
  loaded: LoadedProject
  validated: ValidatedProject
  resolved: ResolvedProject
  /** Every diagnostic of the run (validate's and resolve's), sorted. */
  diagnostics: Diagnostic[]
}

/** load (in memory) → validate → resolve, as a command composes them. */
export function runProject(files: ProjectFiles, options: RunOptions = {}): ProjectRun {
  const loaded = loadInMemory(files, options.order ? {order: options.order} : {})
  const envCheck: EnvCheck = {env: options.env ?? {}, unset: options.mode === 'plan' ? 'error' : 'warning'}
  const validated = validateProject(loaded, envCheck)
  const resolved = resolveProject(validated, {env: envCheck.env})
  return {loaded, validated, resolved, diagnostics: resolved.diagnostics}
}

/** A project with the minimal config plus these recordings files. */
export const withConfig = (recordings: ProjectFiles, config = MINIMAL_CONFIG): ProjectFiles => ({
  [CONFIG_FILE]: config,
  ...recordings,
})

/** Joins lines with newlines, so a fixture's line numbers are easy to read in the test. */
export const yaml = (...lines: string[]): string => `${lines.join('\n')}\n`

export const body = (run: ProjectRun, profile: string): Record<string, unknown> => {
  const found = run.resolved.profiles.find((p) => p.name === profile)
  if (!found) throw new Error(`profile ${profile} did not resolve: ${JSON.stringify(run.diagnostics, null, 2)}`)
  return found.body
}
