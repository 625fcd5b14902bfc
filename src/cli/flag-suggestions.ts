import {didYouMean} from '../validate/describe.js'

/**
 * "Did you mean --detailed-exitcode?" for the unknown flags oclif reports (`--detailed-exitcod`), from
 * the command's own flags (and their `--no-` forms). Empty when nothing is close.
 */
export function flagSuggestions(unknown: readonly string[], flags: Readonly<Record<string, unknown>>): string[] {
  const names = Object.entries(flags).flatMap(([name, flag]) =>
    (flag as {allowNo?: boolean}).allowNo ? [name, `no-${name}`] : [name],
  )
  return unknown.flatMap((given) => {
    const bare = given.replace(/^-+/, '').split('=')[0] ?? ''
    const guess = bare.length > 1 ? didYouMean(bare, names) : undefined
    return guess === undefined ? [] : [`${given.split('=')[0]}: did you mean --${guess}?`]
  })
}
