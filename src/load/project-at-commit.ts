import picomatch from 'picomatch'
import {MAX_FILE_BYTES, MAX_RECORDINGS_FILES} from '../shared/limits.js'
import {git, gitText, GitError} from './git.js'
import {globProblem, isYamlName, NEVER_READ_DIRS} from './glob-pattern.js'
import {CONFIG_FILE, DEFAULT_RECORDINGS_GLOBS, type LoadedProject} from './read-project.js'
import {parseSource, type SourceDocument} from './source-document.js'

/**
 * A project's files as they were at a git commit, read through the git CLI into memory (no checkout, no
 * temporary files): the same `recall.config.yaml`, the same `recordings` globs (confined the same way),
 * parsed by the same load stage.
 */

/** The repository around a project folder. */
export interface GitRepo {
  /** The repository's top folder: every git command runs there, with paths relative to it. */
  top: string
  /** The project folder relative to `top`, with a trailing `/` (or '' at the top). */
  prefix: string
}

/** The repository holding `root`, or undefined outside one. Throws a GitError when git cannot run. */
export async function openRepo(root: string): Promise<GitRepo | undefined> {
  let out: string
  try {
    out = await gitText(root, ['rev-parse', '--show-toplevel', '--show-prefix'])
  } catch (error) {
    // Only "not a repository" means there is none; anything else (an unsafe owner, a broken .git) is said as git said it.
    if (error instanceof GitError && /not a git repository/i.test(error.stderr)) return undefined
    throw error
  }
  const [top, prefix] = out.split('\n')
  return top ? {top, prefix: prefix ?? ''} : undefined
}

/** The commit a ref names (full hex id), or undefined when it names none. The ref is never taken as an option. */
export async function resolveCommit(repo: GitRepo, ref: string): Promise<string | undefined> {
  try {
    const sha = (await gitText(repo.top, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])).trim()
    return /^[0-9a-f]{40,64}$/.test(sha) ? sha : undefined
  } catch (error) {
    if (error instanceof GitError && error.exitCode !== undefined) return undefined
    throw error
  }
}

/**
 * The last `limit` commits reachable from `sha` (itself included) that touched the config file or the
 * folders the recordings globs start from, newest first.
 */
export async function commitsTouching(repo: GitRepo, sha: string, globs: readonly string[], limit: number): Promise<string[]> {
  const folders = new Set<string>()
  for (const pattern of globs) {
    if (globProblem(pattern)) continue
    const base = picomatch.scan(pattern).base.replace(/\/+$/, '')
    folders.add(`${repo.prefix}${base}`.replace(/\/+$/, ''))
  }
  const pathspecs = [
    `:(top,literal)${repo.prefix}${CONFIG_FILE}`,
    ...[...folders].map((folder) => (folder === '' ? ':(top)' : `:(top,literal)${folder}`)),
  ]
  const out = await gitText(repo.top, ['log', '--format=%H', `--max-count=${limit}`, sha, '--', ...pathspecs])
  return out.split('\n').filter((line) => /^[0-9a-f]{40,64}$/.test(line))
}

interface TreeEntry {
  oid: string
  size: number
  /** Relative to the project folder. */
  file: string
}

/** The project's files at one commit, parsed; `key` is the same for two commits whose files are the same. */
export interface ProjectAtCommit {
  loaded: LoadedProject
  key: string
}

/** Reads projects at commits; blobs read once are kept, so walking history reads each file version once. */
export class CommitReader {
  private readonly blobs = new Map<string, string | undefined>()

  constructor(private readonly repo: GitRepo) {}

  async read(sha: string): Promise<ProjectAtCommit> {
    const entries = await this.tree(sha)
    const configEntry = entries.get(CONFIG_FILE)
    const empty = {root: this.repo.top, config: undefined, recordings: [], diagnostics: []}
    if (!configEntry) return {loaded: empty, key: `none:${sha}`}
    await this.fetch([configEntry.oid])
    const config = this.parse(CONFIG_FILE, configEntry.oid)
    if (!config) return {loaded: empty, key: `config:${configEntry.oid}`}

    const files = new Map<string, TreeEntry>()
    for (const pattern of recordingsGlobs(config.value)) {
      if (globProblem(pattern)) continue
      const isMatch = picomatch(pattern, {dot: false})
      for (const entry of entries.values()) {
        if (files.size >= MAX_RECORDINGS_FILES) break
        const parts = entry.file.split('/')
        if (files.has(entry.file) || parts.some((part) => NEVER_READ_DIRS.has(part))) continue
        if (isYamlName(parts.at(-1) ?? '') && entry.size <= MAX_FILE_BYTES && isMatch(entry.file)) files.set(entry.file, entry)
      }
    }
    const chosen = [...files.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
    await this.fetch(chosen.map((e) => e.oid))
    const recordings = chosen.flatMap((e) => this.parse(e.file, e.oid) ?? [])
    const key = [configEntry.oid, ...chosen.map((e) => `${e.file}:${e.oid}`)].join('\n')
    return {loaded: {root: this.repo.top, config, recordings, diagnostics: []}, key}
  }

  /** Regular files under the project folder at `sha`, by path relative to the folder (symlinks and submodules left out). */
  private async tree(sha: string): Promise<Map<string, TreeEntry>> {
    const args = ['ls-tree', '-r', '-z', '-l', sha]
    if (this.repo.prefix !== '') args.push('--', `:(top,literal)${this.repo.prefix.replace(/\/$/, '')}`)
    const out = (await git(this.repo.top, args)).toString('utf8')
    const entries = new Map<string, TreeEntry>()
    for (const record of out.split('\0')) {
      // `<mode> SP <type> SP <object> SP+ <size> TAB <path>`
      const match = /^(100644|100755) blob ([0-9a-f]+) +(\d+)\t(.*)$/s.exec(record)
      if (!match) continue
      const path = match[4] as string
      if (!path.startsWith(this.repo.prefix)) continue
      entries.set(path.slice(this.repo.prefix.length), {
        oid: match[2] as string,
        size: Number(match[3]),
        file: path.slice(this.repo.prefix.length),
      })
    }
    return entries
  }

  /** Reads the blobs not read yet, in one `git cat-file --batch`. Binary blobs are kept as unreadable. */
  private async fetch(oids: readonly string[]): Promise<void> {
    const wanted = [...new Set(oids)].filter((oid) => !this.blobs.has(oid))
    if (wanted.length === 0) return
    const out = await git(this.repo.top, ['cat-file', '--batch'], `${wanted.join('\n')}\n`)
    let at = 0
    while (at < out.length) {
      const eol = out.indexOf(0x0a, at)
      if (eol === -1) break
      const [oid, type, size] = out.subarray(at, eol).toString('utf8').split(' ')
      at = eol + 1
      if (type !== 'blob' || oid === undefined) continue
      const length = Number(size)
      const content = out.subarray(at, at + length)
      at += length + 1
      this.blobs.set(oid, content.includes(0) ? undefined : content.toString('utf8'))
    }
  }

  private parse(file: string, oid: string): SourceDocument | undefined {
    const text = this.blobs.get(oid)
    if (text === undefined) return undefined
    const parsed = parseSource(file, text)
    return parsed.diagnostics.some((d) => d.severity === 'error') ? undefined : parsed.source
  }
}

/** The config's `recordings` globs, or the default (as load reads them). */
export function recordingsGlobs(configValue: unknown): string[] {
  const value = (configValue as {recordings?: unknown} | undefined)?.recordings
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value as string[]
  return DEFAULT_RECORDINGS_GLOBS
}
