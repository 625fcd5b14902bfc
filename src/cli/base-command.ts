import {Command, Flags} from '@oclif/core'
import {mapStrings} from '../shared/env-refs.js'
import {describeAnyOsError} from '../shared/os-error.js'
import {SecretScrubber} from '../shared/redact.js'
import type {PlanOptions} from '../app/make-plan.js'
import {isGithubActions, maskCommands, terminalInfo, type TerminalInfo} from './terminal.js'
import {UserError} from '../shared/user-error.js'
import {flagSuggestions} from './flag-suggestions.js'

/**
 * What every recallctl command shares: the project directory, colour, JSON mode, output through the
 * secret scrubber, and errors for people (a UserError prints its message, never a stack trace).
 * Every flag can also be set from the environment: RECALLCTL_<FLAG> for the flags that mean the same in
 * every command (SHARED_ENV_FLAGS), RECALLCTL_<COMMAND>_<FLAG> for the others, so that none clash.
 */
export abstract class BaseCommand extends Command {
  static override baseFlags = {
    dir: Flags.directory({
      char: 'C',
      summary: 'Project directory: where recall.config.yaml is.',
      default: '.',
      env: 'RECALLCTL_DIR',
      helpGroup: 'GLOBAL',
    }),
    'no-color': Flags.boolean({
      summary: 'Never colour the output (NO_COLOR does the same).',
      env: 'RECALLCTL_NO_COLOR',
      helpGroup: 'GLOBAL',
    }),
  }

  /** Every known secret value goes here before anything is printed. */
  protected readonly scrubber = new SecretScrubber()
  private terminalCache: TerminalInfo | undefined
  protected noColorFlag = false

  protected get terminal(): TerminalInfo {
    this.terminalCache ??= terminalInfo({noColor: this.noColorFlag})
    return this.terminalCache
  }

  /** Registers secret values: scrubbed from all output, and masked in GitHub Actions logs. */
  protected addSecrets(...values: Array<string | undefined>): void {
    const known = values.filter((v): v is string => v !== undefined && v.length > 0)
    this.scrubber.add(...known)
    if (isGithubActions() && known.length > 0) process.stderr.write(`${maskCommands(known)}\n`)
  }

  /** Plan options from the planning flags shared by plan and apply; the clock and env are read here, at the edge. */
  protected planOptions(flags: {
    target?: string[] | undefined
    exclude?: string[] | undefined
    'ignore-missing': boolean
  }): PlanOptions {
    return {
      targets: listFlag(flags.target),
      excludes: listFlag(flags.exclude),
      ignoreMissing: flags['ignore-missing'],
      env: process.env,
      toolVersion: this.config.version,
      now: new Date(),
      onProgress: (message: string) => this.note(message),
    }
  }

  /**
   * Every string of a value with known secrets scrubbed, before it is rendered: renderers escape text
   * (markdown, JSON), and an escaped secret would no longer match the scrub of the final output.
   */
  protected scrubbed<T>(value: T): T {
    return mapStrings(value, (text) => this.scrubber.scrub(text)) as T
  }

  /** Writes to stdout, secrets scrubbed. */
  protected out(text: string): void {
    process.stdout.write(this.scrubber.scrub(text.endsWith('\n') ? text : `${text}\n`))
  }

  /** Writes to stderr (progress, logs, diagnostics in JSON mode), secrets scrubbed. */
  protected note(text: string): void {
    process.stderr.write(this.scrubber.scrub(text.endsWith('\n') ? text : `${text}\n`))
  }

  protected override async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    if (error instanceof UserError) {
      this.note(`Error: ${error.message}`)
      process.exitCode = error.exitCode
      return undefined
    }
    // Flag parsing errors from oclif are user mistakes too: its message is already for people.
    if (error.oclif?.exit !== undefined && error.name !== 'ExitError') {
      const unknown = (error as {flags?: unknown}).flags
      const hints = Array.isArray(unknown)
        ? flagSuggestions(unknown as string[], {...this.ctor.baseFlags, ...this.ctor.flags})
        : []
      this.note(`Error: ${error.message}${hints.map((hint) => `\n${hint}`).join('')}`)
      process.exitCode = error.oclif.exit === 0 ? 0 : 1
      return undefined
    }
    if (error.name === 'ExitError') throw error
    // Recall's answers (auth, network, refusals) are written for people by the client.
    if (error.name === 'RecallApiError' || error.name === 'MissingApiKeyError') {
      this.note(`Error: ${error.message}`)
      process.exitCode = 1
      return undefined
    }
    // An OS error the user can cause (a path, a port, a host name) is theirs to fix, not a bug.
    const osMessage = describeAnyOsError(error)
    if (osMessage) {
      this.note(`Error: ${osMessage}`)
      process.exitCode = 1
      return undefined
    }
    this.note(`Error: ${error.message}\nThis is a bug in recallctl; set DEBUG=recallctl to see where it happened.`)
    if (process.env['DEBUG']?.includes('recallctl')) this.note(String(error.stack))
    process.exitCode = 1
    return undefined
  }
}

/**
 * A repeatable flag's values. From the environment (RECALLCTL_TARGET=a,b) oclif hands over the raw string,
 * not a list split on the delimiter: read as a list, it would be taken one character at a time.
 */
function listFlag(value: readonly string[] | string | undefined): string[] {
  const values = value === undefined ? [] : typeof value === 'string' ? [value] : value
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '')
}
