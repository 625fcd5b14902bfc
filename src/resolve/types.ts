import type {CompleteStartRecordingBody} from '../recall/body-schema.js'
import type {ProjectConfig} from '../config/project-config-schema.js'
import type {Diagnostic, SourceLocation} from '../shared/diagnostics.js'
import type {BotsSelector, MatchSelector} from '../validate/types.js'
import type {FieldOrigins} from './origins.js'

export interface ResolvedProfile {
  name: string
  location: SourceLocation
  /** Root first: ['base', 'sales', 'sales-call']. */
  chain: string[]
  body: CompleteStartRecordingBody
  digest: string
  origins: FieldOrigins
}

/** One metadata entry an assignment writes over its profile's: `null` removes an inherited key. */
export interface AssignmentMetadataEntry {
  key: string
  value: string | null
  location: SourceLocation
}

/**
 * An assignment with its body: the profile's, with the assignment's metadata merged last. Later stages
 * read only this, never the assignment as written.
 */
export interface ResolvedAssignment {
  /** `recordings/sales.yaml:12`, as shown in plans. */
  label: string
  location: SourceLocation
  profile: string
  selector: BotsSelector | MatchSelector
  /** The assignment's own metadata, in the order written (empty: its bots get the profile's body). */
  metadata: AssignmentMetadataEntry[]
  body: CompleteStartRecordingBody
  digest: string
}

/** What one bot should record with, for an explicitly assigned bot (match bots get theirs at refresh). */
export interface DesiredBot {
  bot_id: string
  profile: string
  /** `recordings/sales.yaml:12` */
  assignment: string
  /** Where the assignment is written, for diagnostics about this bot. */
  location: SourceLocation
  body: CompleteStartRecordingBody
  digest: string
}

/** The resolve stage's result: the "resolved" config, distinct from the files as written. */
export interface ResolvedProject {
  config: ProjectConfig | undefined
  /** Every profile that resolved, sorted by name. */
  profiles: ResolvedProfile[]
  assignments: ResolvedAssignment[]
  diagnostics: Diagnostic[]
}
