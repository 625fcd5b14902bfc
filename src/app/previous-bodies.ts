import type {KnownBody} from '../diff/diff-bot.js'
import {GitError} from '../load/git.js'
import {CommitReader, commitsTouching, openRepo, recordingsGlobs, resolveCommit, type GitRepo} from '../load/project-at-commit.js'
import type {LoadedProject} from '../load/read-project.js'
import {resolveProject} from '../resolve/resolve-project.js'
import type {Diagnostic} from '../shared/diagnostics.js'
import {validateProject} from '../validate/validate-project.js'
import {UserError} from '../shared/user-error.js'

/**
 * `plan --compare-ref`: the bodies a running recording may have been started with, found by resolving the
 * config as it was at a git ref, then (for digests still unknown) at the last commits that changed it.
 * The files are read through git into memory and go through the same load, validate and resolve stages,
 * with no environment: bodies stay as written (`${env:}` unsubstituted, as their digests are), so no
 * secret is ever read here.
 */

/** How far back the config's history is searched for a digest. */
export const HISTORY_LIMIT = 50

export interface CompareRef {
  ref: string
  /** Given with --compare-ref (a problem with it is an error), or the default (a problem means today's behaviour). */
  explicit: boolean
}

/** The ref to compare with: the flag, else the pull request's base in CI, else HEAD. Undefined: `none`. */
export function chooseCompareRef(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): CompareRef | undefined {
  if (flag !== undefined) return flag.trim() === 'none' ? undefined : {ref: flag, explicit: true}
  const githubBase = env['GITHUB_BASE_REF']
  if (githubBase) return {ref: `origin/${githubBase}`, explicit: false}
  const gitlabBase = env['CI_MERGE_REQUEST_DIFF_BASE_SHA']
  if (gitlabBase) return {ref: gitlabBase, explicit: false}
  return {ref: 'HEAD', explicit: false}
}

export interface FoundBodies {
  bodies: Map<string, KnownBody>
  diagnostics: Diagnostic[]
}

/** Looks up digests in the config's git history (made once the ref is known to be good). */
export type PreviousBodyFinder = (digests: readonly string[]) => Promise<FoundBodies>

const shownRef = (ref: string): string => JSON.stringify(ref.length > 100 ? `${ref.slice(0, 100)}…` : ref)

interface At {
  repo: GitRepo
  sha: string
  /** How the ref is named in the plan: as given, or `HEAD` when a default base was not in the clone. */
  label: string
  notes: Diagnostic[]
}

/**
 * An explicit ref is checked now, before anything is read from Recall: one that cannot be used is a
 * UserError. A default ref is only looked at when a digest is unknown (most plans need no git at all);
 * one that cannot be used means a plan as without --compare-ref, or HEAD instead of a missing base.
 */
export async function openPreviousBodies(root: string, choice: CompareRef | undefined): Promise<PreviousBodyFinder | undefined> {
  if (choice === undefined) return undefined
  let at: Promise<At | undefined> | undefined = choice.explicit ? Promise.resolve(await locate(root, choice)) : undefined
  return async (digests) => {
    if (digests.length === 0) return {bodies: new Map(), diagnostics: []}
    at ??= locate(root, choice)
    const where = await at
    if (!where) return {bodies: new Map(), diagnostics: []}
    const found = await findBodies(where, digests)
    return {bodies: found.bodies, diagnostics: [...where.notes, ...found.diagnostics]}
  }
}

async function locate(root: string, {ref, explicit}: CompareRef): Promise<At | undefined> {
  if (ref.trim() === '' || ref.length > 256 || /[\u0000-\u001f\u007f]/.test(ref)) {
    if (explicit)
      throw new UserError(
        `--compare-ref ${shownRef(ref)} is not a git ref. Give a branch, tag or commit (HEAD, origin/main, a commit id), or --compare-ref none.`,
      )
    return undefined
  }
  let repo: GitRepo | undefined
  try {
    repo = await openRepo(root)
  } catch (error) {
    if (!explicit) return undefined
    if (error instanceof GitError && error.notInstalled)
      throw new UserError(
        `--compare-ref ${shownRef(ref)} needs git, which is not installed or not on PATH. Install git, or pass --compare-ref none.`,
      )
    throw new UserError(
      `--compare-ref ${shownRef(ref)}: git could not read the repository around ${root} (${(error as Error).message}). Fix that, or pass --compare-ref none.`,
    )
  }
  if (!repo) {
    if (explicit)
      throw new UserError(
        `--compare-ref ${shownRef(ref)}: ${root} is not inside a git repository. Run plan in the repository's working tree, or pass --compare-ref none.`,
      )
    return undefined
  }
  const sha = await resolveCommit(repo, ref).catch(() => undefined)
  if (sha !== undefined) return {repo, sha, label: ref, notes: []}
  if (explicit)
    throw new UserError(
      `--compare-ref ${shownRef(ref)} names no commit in this repository. Give a branch, tag or commit (HEAD, origin/main, a commit id), or pass --compare-ref none.`,
    )
  if (ref === 'HEAD') return undefined
  const head = await resolveCommit(repo, 'HEAD').catch(() => undefined)
  if (head === undefined) return undefined
  const note: Diagnostic = {
    severity: 'warning',
    code: 'compare_ref_unavailable',
    message: `the pull request's base ${shownRef(ref)} is not in this clone, so previous bodies are looked up from HEAD instead. Fetch the base (actions/checkout with fetch-depth: 0), or pass --compare-ref.`,
  }
  return {repo, sha: head, label: 'HEAD', notes: [note]}
}

async function findBodies(at: At, digests: readonly string[]): Promise<FoundBodies> {
  const wanted = new Set(digests)
  const bodies = new Map<string, KnownBody>()
  if (wanted.size === 0) return {bodies, diagnostics: []}
  const reader = new CommitReader(at.repo)
  const seen = new Set<string>()
  const take = (loaded: LoadedProject, source: string) => {
    let found: Map<string, KnownBody>
    try {
      found = bodiesOf(loaded)
    } catch {
      return // An old config this version cannot resolve holds no body it could compare with.
    }
    for (const [digest, body] of found) if (wanted.delete(digest)) bodies.set(digest, {...body, source})
  }
  let searched = 0
  try {
    const atRef = await reader.read(at.sha)
    seen.add(atRef.key)
    take(atRef.loaded, at.label)
    if (wanted.size > 0) {
      const commits = await commitsTouching(at.repo, at.sha, recordingsGlobs(atRef.loaded.config?.value), HISTORY_LIMIT)
      for (const commit of commits) {
        if (wanted.size === 0) break
        searched++
        if (commit === at.sha) continue
        const project = await reader.read(commit)
        if (seen.has(project.key)) continue
        seen.add(project.key)
        take(project.loaded, `commit ${commit.slice(0, 12)}`)
      }
    }
  } catch (error) {
    // History only adds detail to a plan: a failure there is said, and the plan stands.
    const why = error instanceof GitError ? error.message : 'an unexpected error'
    return {
      bodies,
      diagnostics: [
        {
          severity: 'warning',
          code: 'compare_ref_failed',
          message: `reading the config's history through git stopped (${why}): restarts whose previous body was not found show the desired body only.`,
        },
      ],
    }
  }
  if (wanted.size === 0) return {bodies, diagnostics: []}
  const list = [...wanted].sort()
  const named = list.slice(0, 5).join(', ') + (list.length > 5 ? ` and ${list.length - 5} more` : '')
  const where =
    searched < HISTORY_LIMIT
      ? `all ${searched} commits that changed the config files`
      : `the last ${HISTORY_LIMIT} commits that changed the config files (the search gives up there)`
  return {
    bodies,
    diagnostics: [
      {
        severity: 'warning',
        code: 'previous_body_not_found',
        message: `no body with digest ${named} was found at ${at.label} or in ${where}: those restarts show the desired body only. Pass --compare-ref with an older ref to look further.`,
      },
    ],
  }
}

/** Every body a project at some commit resolves to, by digest (profiles, and assignments with their own metadata). */
function bodiesOf(loaded: LoadedProject): Map<string, KnownBody> {
  const map = new Map<string, KnownBody>()
  if (!loaded.config) return map
  const resolved = resolveProject(validateProject(loaded, {env: {}, unset: 'warning'}))
  for (const p of resolved.profiles) map.set(p.digest, {profile: p.name, body: p.body})
  for (const a of resolved.assignments) if (!map.has(a.digest)) map.set(a.digest, {profile: a.profile, body: a.body})
  return map
}
