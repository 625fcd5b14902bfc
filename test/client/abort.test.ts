import {getEventListeners} from 'node:events'
import {describe, expect, it} from 'vitest'
import {delay, forwardAbort} from '../../src/recall/client/abort.js'

describe('abort helpers', () => {
  it('delay resolves after the time and leaves no listener on a long-lived signal', async () => {
    const longLived = new AbortController()
    await delay(5, [longLived.signal, undefined])
    expect(getEventListeners(longLived.signal, 'abort')).toHaveLength(0)
  })

  it('delay rejects with the reason of the signal that aborted', async () => {
    const a = new AbortController()
    const b = new AbortController()
    const waiting = delay(10_000, [a.signal, b.signal])
    b.abort(new Error('stopped'))
    await expect(waiting).rejects.toThrow('stopped')
    expect(getEventListeners(a.signal, 'abort')).toHaveLength(0)
  })

  it('delay on an aborted signal rejects at once', async () => {
    await expect(delay(10_000, [AbortSignal.abort(new Error('already'))])).rejects.toThrow('already')
  })

  it('forwardAbort passes the reason on, and detaching stops it', () => {
    const source = new AbortController()
    const target = new AbortController()
    const detach = forwardAbort([source.signal], target)
    expect(getEventListeners(source.signal, 'abort')).toHaveLength(1)
    detach()
    expect(getEventListeners(source.signal, 'abort')).toHaveLength(0)
    source.abort(new Error('late'))
    expect(target.signal.aborted).toBe(false)

    const second = new AbortController()
    forwardAbort([AbortSignal.abort(new Error('now'))], second)
    expect(second.signal.reason).toMatchObject({message: 'now'})
  })
})
