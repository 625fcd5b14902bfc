import {EventEmitter} from 'node:events'
import {PassThrough} from 'node:stream'
import {describe, expect, it} from 'vitest'
import {askYes} from '../../src/cli/confirm.js'

/** A prompt on fake streams: `tty` makes readline treat the output as a terminal (raw keys, Ctrl-C as a key). */
function prompt(tty = false) {
  const input = new PassThrough()
  const output = Object.assign(new PassThrough(), tty ? {isTTY: true, columns: 80} : {})
  const signals = new EventEmitter()
  const answer = askYes('Apply these 3 call(s)? ', {input, output, signals})
  return {input, output, signals, answer}
}

describe('the confirmation prompt', () => {
  it('goes ahead only on "yes"', async () => {
    const yes = prompt()
    yes.input.write('yes\n')
    await expect(yes.answer).resolves.toBe('yes')
    for (const text of ['no\n', 'y\n', 'YES please\n', '\n']) {
      const other = prompt()
      other.input.write(text)
      await expect(other.answer).resolves.toBe('no')
    }
  })

  it('Ctrl-D (end of input) cancels', async () => {
    const p = prompt()
    p.input.end()
    await expect(p.answer).resolves.toBe('end_of_input')
  })

  it('Ctrl-C cancels: as a key on a terminal, and as a signal', async () => {
    const key = prompt(true)
    key.input.write('\x03')
    await expect(key.answer).resolves.toBe('interrupted')

    const signal = prompt()
    signal.signals.emit('SIGINT')
    await expect(signal.answer).resolves.toBe('interrupted')
    // Its listeners are gone once it has answered.
    expect(signal.signals.listenerCount('SIGINT')).toBe(0)
    expect(signal.signals.listenerCount('SIGTERM')).toBe(0)
  })
})
