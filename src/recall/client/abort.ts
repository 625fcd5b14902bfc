/**
 * Small abort helpers that detach their listeners when done. AbortSignal.any() would do, but on Node 20
 * every call leaves an entry on a long-lived signal (a whole apply's Ctrl-C signal) until it aborts.
 */

/** Aborts `target` with the reason of the first of `sources` to abort; returns the function that detaches. */
export function forwardAbort(sources: ReadonlyArray<AbortSignal | undefined>, target: AbortController): () => void {
  const signals = sources.filter((s): s is AbortSignal => s !== undefined)
  const onAbort = (event: Event): void => target.abort((event.target as AbortSignal).reason)
  const detach = (): void => {
    for (const signal of signals) signal.removeEventListener('abort', onAbort)
  }
  for (const signal of signals) {
    if (signal.aborted) {
      target.abort(signal.reason)
      detach()
      return detach
    }
    signal.addEventListener('abort', onAbort, {once: true})
  }
  return detach
}

/** Resolves after `ms`, or rejects with the reason of the first of `signals` to abort. */
export function delay(ms: number, signals: ReadonlyArray<AbortSignal | undefined>): Promise<void> {
  return new Promise((resolve, reject) => {
    const controller = new AbortController()
    const detach = forwardAbort(signals, controller)
    if (controller.signal.aborted) {
      reject(controller.signal.reason)
      return
    }
    const timer = setTimeout(() => {
      detach()
      resolve()
    }, ms)
    controller.signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        detach()
        reject(controller.signal.reason)
      },
      {once: true},
    )
  })
}
