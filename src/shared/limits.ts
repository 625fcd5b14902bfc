/**
 * The bounds on what recallctl reads (README, "Limits"). Each is reported, when exceeded, as an error
 * naming the file and line and the cap: hostile or accidental input never makes a run hang or blow up.
 */

/** Largest recordings or config file read, in bytes (5 MiB); a bigger one is refused before reading. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024

/** Deepest nesting of maps and lists in a YAML file. Real profiles nest about 6 deep. */
export const MAX_NESTING_DEPTH = 64

/** yaml's `maxAliasCount`: how many nodes YAML aliases may expand to in one file (alias bombs). */
export const MAX_ALIAS_COUNT = 100

/** Longest `extends` chain, the profile itself included. */
export const MAX_EXTENDS_CHAIN = 32

/** Most recordings files the `recordings` globs may match together. */
export const MAX_RECORDINGS_FILES = 5000

/** Most folder entries looked at while matching the `recordings` globs. */
export const MAX_WALKED_ENTRIES = 100_000

/** Most keys in one `metadata` map. */
export const MAX_METADATA_KEYS = 1000

/** Files read at once (a project of thousands of files must not run out of file descriptors). */
export const READ_CONCURRENCY = 16

/** `1,234,567`: caps and sizes in messages. */
export const formatCount = (n: number): string => n.toLocaleString('en-US')
