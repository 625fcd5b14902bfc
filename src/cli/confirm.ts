import type {EventEmitter} from 'node:events'
import {createInterface} from 'node:readline'

/** How a confirmation prompt ended: only `yes` goes ahead. */
export type ConfirmAnswer = 'yes' | 'no' | 'end_of_input' | 'interrupted'

export interface ConfirmStreams {
  input: NodeJS.ReadableStream
  output: NodeJS.WritableStream
  /** Where SIGINT/SIGTERM arrive when the terminal is not in raw mode (default: process). */
  signals?: EventEmitter
}

/**
 * Asks `question` and resolves with how it ended: the answer `yes` exactly; any other answer; Ctrl-D
 * or the end of input; Ctrl-C (raw terminal, or a signal). Never rejects, and removes its listeners.
 */
export function askYes(question: string, streams: ConfirmStreams): Promise<ConfirmAnswer> {
  const signals = streams.signals ?? process
  return new Promise((resolve) => {
    const rl = createInterface({
      input: streams.input,
      output: streams.output,
      terminal: (streams.output as {isTTY?: boolean}).isTTY === true,
    })
    let settled = false
    const onSignal = (): void => finish('interrupted')
    const finish = (answer: ConfirmAnswer): void => {
      if (settled) return
      settled = true
      signals.off('SIGINT', onSignal)
      signals.off('SIGTERM', onSignal)
      rl.close()
      resolve(answer)
    }
    signals.on('SIGINT', onSignal)
    signals.on('SIGTERM', onSignal)
    rl.on('SIGINT', () => finish('interrupted'))
    rl.on('close', () => finish('end_of_input'))
    rl.question(question, (answer) => finish(answer.trim() === 'yes' ? 'yes' : 'no'))
  })
}
