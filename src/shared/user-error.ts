/**
 * A problem the user can fix (bad flag, missing file, unset variable...). The CLI prints its message
 * alone, with no stack trace, and exits with `exitCode`.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message)
    this.name = 'UserError'
  }
}
