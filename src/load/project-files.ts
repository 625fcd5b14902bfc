import type {Diagnostic} from '../shared/diagnostics.js'
import type {SourceDocument} from './source-document.js'

/** The names and shapes of a project's files (pure): what the pure stages need without the reader. */
export const CONFIG_FILE = 'recall.config.yaml'
export const DEFAULT_RECORDINGS_GLOBS = ['recordings/**/*.yaml']

/** Every file of a project, parsed. Reading never stops at the first problem. */
export interface LoadedProject {
  root: string
  config: SourceDocument | undefined
  recordings: SourceDocument[]
  diagnostics: Diagnostic[]
}
