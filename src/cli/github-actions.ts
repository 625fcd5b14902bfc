import {appendFile, stat} from 'node:fs/promises'
import type {Plan} from '../plan/types.js'
import {renderMarkdown} from '../render/markdown.js'

export {isGithubActions, maskCommands} from './terminal.js'

/** GitHub's limit for one step's summary. */
export const STEP_SUMMARY_LIMIT_BYTES = 1024 * 1024

/**
 * Appends the plan as markdown to `$GITHUB_STEP_SUMMARY`, within what is left of the 1 MiB limit
 * (bytes, after whatever earlier steps wrote). The markdown degrades in stages to fit, restarts always
 * stated. `scrub` is the command's secret scrubber: the plan holds no secret, but everything recallctl
 * writes goes through it, and the budget is measured after it. Returns the bytes written, 0 when no room
 * was left.
 */
export async function appendPlanToStepSummary(
  file: string,
  plan: Plan,
  planFile?: string,
  scrub: (text: string) => string = (text) => text,
): Promise<number> {
  const used = await stat(file).then(
    (s) => s.size,
    () => 0,
  )
  const room = STEP_SUMMARY_LIMIT_BYTES - used - 2
  if (room < 200) return 0
  // renderMarkdown counts UTF-16 units; the limit is in UTF-8 bytes. Shrink until the bytes fit.
  let maxChars = room
  for (let attempt = 0; attempt < 5; attempt++) {
    const text = scrub(`${renderMarkdown(plan, {maxChars, ...(planFile ? {planFile} : {})})}\n`)
    const bytes = Buffer.byteLength(text, 'utf8')
    if (bytes <= room) {
      await appendFile(file, text)
      return bytes
    }
    maxChars = Math.floor((maxChars * room) / bytes) - 16
  }
  return 0
}
