import {formatCount} from '../shared/limits.js'

/** Folders recallctl never reads, whatever a glob says: a repository's internals and installed packages. */
export const NEVER_READ_DIRS: ReadonlySet<string> = new Set(['.git', 'node_modules'])

/** Recordings files are YAML: any other file a glob matches does not count. */
export const isYamlName = (name: string): boolean => /\.ya?ml$/i.test(name)

// A path segment, also inside a brace or extglob group: `..`, `{..,x}`, `@(..)`.
const segment = (name: string) => new RegExp(`(^|[/{,(|])(${name})(?=$|[/},)|])`)
const PARENT = segment('\\.\\.')
const NEVER_READ = segment('\\.git|node_modules')

/**
 * Why a `recordings` glob may not be used, or undefined when it stays inside the config's folder (pure).
 * Matches are checked again on disk (symlinks resolved), so this only has to catch what a pattern says.
 */
export function globProblem(pattern: string): string | undefined {
  const shown = JSON.stringify(pattern.length > 120 ? `${pattern.slice(0, 120)}…` : pattern)
  const fix = 'Write it relative to that folder, such as "recordings/**/*.yaml".'
  if (pattern.trim() === '')
    return `recordings glob ${shown} is empty: globs are relative to the folder of recall.config.yaml. ${fix}`
  if (/^([/\\~]|[A-Za-z]:)/.test(pattern))
    return `recordings glob ${shown} is an absolute path: globs are relative to the folder of recall.config.yaml and may not leave it. ${fix}`
  if (PARENT.test(pattern))
    return `recordings glob ${shown} climbs out with "..": globs may not leave the folder of recall.config.yaml. ${fix}`
  const never = NEVER_READ.exec(pattern)
  if (never)
    return `recordings glob ${shown} names ${never[2]}/, which recallctl never reads: globs select recordings files in the folder of recall.config.yaml. ${fix}`
  if (pattern.length > 1000)
    return `recordings glob ${shown} is longer than ${formatCount(1000)} characters: globs select recordings files in the folder of recall.config.yaml. ${fix}`
  return undefined
}
