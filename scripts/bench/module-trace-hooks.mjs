// Module hooks for module-trace.mjs: tells the main thread the URL of every module loaded.
let port

export function initialize(data) {
  port = data.port
}

export async function load(url, context, nextLoad) {
  port?.postMessage(url)
  return nextLoad(url, context)
}
