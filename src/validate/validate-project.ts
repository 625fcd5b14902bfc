import type {LoadedProject} from '../load/project-files.js'
import {sortDiagnostics, type Diagnostic} from '../shared/diagnostics.js'
import {validateConfigFile} from './config-file.js'
import {validateRecordingsFile} from './recordings-file.js'
import {checkAssignments, checkExtends, checkUnusedProfiles, indexProfiles} from './references.js'
import type {AssignmentDecl, EnvCheck, ProfileDecl, ValidatedProject} from './types.js'

/**
 * The validate stage over every file at once (pure: the files were read by load). Checks each file on
 * its own lines, then the references between files. Rules on merged profiles run in resolve.
 */
export function validateProject(loaded: LoadedProject, envCheck: EnvCheck): ValidatedProject {
  const diagnostics: Diagnostic[] = [...loaded.diagnostics]
  const {config, diagnostics: configProblems} = validateConfigFile(loaded.config)
  diagnostics.push(...configProblems)

  const declared: ProfileDecl[] = []
  const assignments: AssignmentDecl[] = []
  for (const source of loaded.recordings) {
    const file = validateRecordingsFile(source, assignments.length, envCheck)
    declared.push(...file.profiles)
    assignments.push(...file.assignments)
    diagnostics.push(...file.diagnostics)
  }
  const {profiles, diagnostics: duplicates} = indexProfiles(declared)
  diagnostics.push(
    ...duplicates,
    ...checkExtends(profiles),
    ...checkAssignments(assignments, profiles),
    ...checkUnusedProfiles(assignments, profiles),
  )
  if (loaded.recordings.length > 0 && profiles.size === 0 && !diagnostics.some((d) => d.severity === 'error'))
    diagnostics.push({
      severity: 'warning',
      code: 'no_profiles',
      message: 'no profile is declared in the recordings files: there is nothing to apply.',
    })
  return {config, profiles, assignments, diagnostics: sortDiagnostics(diagnostics)}
}
