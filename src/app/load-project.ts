import path from 'node:path'
import {collectEnvRefs} from '../shared/env-refs.js'
import {readProject, type LoadedProject} from '../load/read-project.js'
import type {SourceDocument} from '../load/source-document.js'
import {resolveProject} from '../resolve/resolve-project.js'
import type {ResolvedProject} from '../resolve/types.js'
import {attachSourceRanges} from '../validate/attach-ranges.js'
import {validateProject} from '../validate/validate-project.js'
import type {ValidatedProject} from '../validate/types.js'

/** The project's parsed files, config first: where diagnostics get their ranges. */
export type ProjectSources = ReadonlyArray<SourceDocument | undefined>

export const sourcesOf = (loaded: LoadedProject): ProjectSources => [loaded.config, ...loaded.recordings]

export interface ProjectRun {
  root: string
  loaded: LoadedProject
  validated: ValidatedProject
  resolved: ResolvedProject
  /** Values of every `${env:}` variable the files use: secrets to scrub from all output. */
  envValues: string[]
}

/**
 * load → validate → resolve for one command. `unsetEnv` is 'error' for plan and apply (they need
 * the values), 'warning' for validate (pull-request CI often runs without secrets).
 */
export async function loadProject(
  dir: string,
  unsetEnv: 'error' | 'warning',
  env: NodeJS.ProcessEnv = process.env,
): Promise<ProjectRun> {
  const root = path.resolve(dir)
  const loaded = await readProject(root)
  const validated = validateProject(loaded, {env, unset: unsetEnv})
  // Bodies are checked again with ${env:} substituted (what would be sent), before anything is read.
  const checked = resolveProject(validated, {env})
  // Ranges and snippets come last, from the sources in memory (tfdiags' "contextual" step).
  const resolved = {...checked, diagnostics: attachSourceRanges(checked.diagnostics, sourcesOf(loaded))}
  const names = new Set<string>()
  for (const source of loaded.recordings) collectEnvRefs(source.value, names)
  const envValues = [...names].flatMap((name) => (env[name] === undefined ? [] : [env[name] as string]))
  return {root, loaded, validated, resolved, envValues}
}
