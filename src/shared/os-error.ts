/**
 * OS errors a user can cause, as words (pure): what went wrong and what to do. Used to turn an
 * ENOENT or an EACCES into one sentence that names the path or address, never a stack trace.
 */
const REASONS: Record<string, {reason: string; fix: string}> = {
  ENOENT: {reason: 'no such file or folder', fix: 'check the path, or create the folder first'},
  ENOTDIR: {reason: 'a part of the path is a file, not a folder', fix: 'check the path'},
  EISDIR: {reason: 'it is a folder, not a file', fix: 'give a file name inside it instead'},
  EACCES: {reason: 'permission denied', fix: 'check its permissions, or choose another path'},
  EPERM: {reason: 'operation not permitted', fix: 'check its permissions, or choose another path'},
  EROFS: {reason: 'the file system is read-only', fix: 'choose a path on a writable disk'},
  ENOSPC: {reason: 'the disk is full', fix: 'free some space, or choose another disk'},
  EDQUOT: {reason: 'the disk quota is exceeded', fix: 'free some space, or choose another disk'},
  EFBIG: {reason: 'the file is too large for this file system', fix: 'choose another disk'},
  EEXIST: {reason: 'something already exists there', fix: 'remove it, or choose another path'},
  ENOTEMPTY: {reason: 'the folder is not empty', fix: 'remove its contents, or choose another path'},
  ELOOP: {reason: 'too many symbolic links in the path', fix: 'check the links in the path'},
  ENAMETOOLONG: {reason: 'the path is too long', fix: 'choose a shorter path'},
  EMFILE: {reason: 'too many files are open', fix: 'raise the limit (ulimit -n), or match fewer files'},
  ENFILE: {reason: 'too many files are open on this system', fix: 'close other programs, or raise the system limit'},
  EBUSY: {reason: 'it is busy', fix: 'try again when nothing else uses it'},
  ETXTBSY: {reason: 'it is busy', fix: 'try again when nothing else uses it'},
  EIO: {reason: 'an input/output error occurred', fix: 'check the disk'},
  EADDRINUSE: {reason: 'the port is already in use', fix: 'pick another port, or 0 for any free one'},
  EADDRNOTAVAIL: {reason: 'this machine has no such address', fix: 'use 0.0.0.0 (every interface) or 127.0.0.1'},
  ENOTFOUND: {reason: 'the host name does not resolve', fix: 'check the name, or use an IP address such as 0.0.0.0 or 127.0.0.1'},
  EAI_AGAIN: {
    reason: 'the host name could not be resolved right now (DNS)',
    fix: 'check the name and the network, or use an IP address',
  },
}

export interface OsErrorLike {
  code?: string | undefined
  syscall?: string | undefined
  path?: string | undefined
  hostname?: string | undefined
  address?: string | undefined
  port?: number | undefined
}

/** Whether an error is one of the OS errors above (a user can fix it). */
export function isUserOsError(error: unknown): error is OsErrorLike {
  const code = (error as OsErrorLike | null | undefined)?.code
  return typeof code === 'string' && code in REASONS
}

/** `reason; fix` for a known code, or undefined. */
export function osReason(code: string | undefined): {reason: string; fix: string} | undefined {
  return code === undefined ? undefined : REASONS[code]
}

/**
 * One sentence for a user-caused OS error: `<what> <subject>: <reason>. <Fix>.` `what` says what was
 * being done (e.g. "cannot write the plan to"), `subject` the path or address (defaults to the error's).
 */
export function describeOsError(error: unknown, what: string, subject?: string): string | undefined {
  if (!isUserOsError(error)) return undefined
  const {reason, fix} = REASONS[error.code as string] as {reason: string; fix: string}
  const target =
    subject ??
    error.path ??
    error.hostname ??
    (error.address ? `${error.address}${error.port === undefined ? '' : `:${error.port}`}` : undefined)
  return `${what}${target === undefined ? '' : ` ${target}`}: ${reason}. ${fix.charAt(0).toUpperCase()}${fix.slice(1)}.`
}

const VERBS: Record<string, string> = {
  open: 'cannot open',
  read: 'cannot read',
  scandir: 'cannot read the folder',
  stat: 'cannot read',
  lstat: 'cannot read',
  realpath: 'cannot read',
  write: 'cannot write',
  mkdir: 'cannot create the folder',
  rename: 'cannot write',
  copyfile: 'cannot write',
  unlink: 'cannot delete',
  rmdir: 'cannot delete',
  rm: 'cannot delete',
  listen: 'cannot listen on',
  bind: 'cannot listen on',
  getaddrinfo: 'cannot resolve the host name',
  connect: 'cannot connect to',
  spawn: 'cannot run',
}

/** One sentence for a user-caused OS error from whatever call it came from (the last resort of the CLI). */
export function describeAnyOsError(error: unknown): string | undefined {
  const syscall = (error as OsErrorLike | null | undefined)?.syscall
  return describeOsError(error, (syscall && VERBS[syscall]) || 'cannot use')
}
