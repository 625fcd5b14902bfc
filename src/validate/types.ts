import type {SourceDocument} from '../load/source-document.js'
import type {ProjectConfig} from '../config/project-config-schema.js'
import type {Diagnostic, SourceLocation} from '../shared/diagnostics.js'
import type {Path} from './describe.js'

/** A profile as written, after its own lines were checked. */
export interface ProfileDecl {
  name: string
  source: SourceDocument
  /** Path of the profile's map in its file: ['profiles', name]. */
  path: Path
  location: SourceLocation
  extends?: string
  extendsLocation?: SourceLocation
  /** Body fields as written, without `extends`; metadata entries that failed their check removed. */
  fields: Record<string, unknown>
  /** False when its own lines have errors: it is not resolved, to avoid cascades of follow-on errors. */
  ok: boolean
}

export interface BotsSelector {
  kind: 'bots'
  bots: string[]
  locations: SourceLocation[]
}

export interface MatchSelector {
  kind: 'match'
  metadata: Record<string, string>
  status: string[]
}

/** An assignment as written, after its own lines were checked. */
export interface AssignmentDecl {
  /** Position in the whole project (files in path order, then file order). */
  index: number
  source: SourceDocument
  path: Path
  location: SourceLocation
  /** `recordings/sales.yaml:12`, as shown in plans. */
  label: string
  profile: string
  profileLocation: SourceLocation
  selector: BotsSelector | MatchSelector
  metadata: Record<string, string | null>
  ok: boolean
}

export interface ValidatedProject {
  config: ProjectConfig | undefined
  profiles: Map<string, ProfileDecl>
  assignments: AssignmentDecl[]
  diagnostics: Diagnostic[]
}

/** How an unset `${env:}` variable is reported: plan and apply need it, validate only warns. */
export interface EnvCheck {
  env: Readonly<Record<string, string | undefined>>
  unset: 'error' | 'warning'
}
