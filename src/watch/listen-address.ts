export interface ListenAddress {
  host: string
  port: number
}

/**
 * `HOST:PORT` for the webhook listener (pure): `0.0.0.0:8080`, `127.0.0.1:0` (any free port),
 * `[::]:8080`, `localhost:8080`. An IPv6 host is written in brackets.
 */
export function parseListenAddress(text: string): {ok: true; address: ListenAddress} | {ok: false; message: string} {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(text.trim())
  const port = match ? Number(match[3]) : NaN
  if (match === null || port > 65_535)
    return {
      ok: false,
      message: `--listen "${text}" is not HOST:PORT: write e.g. 0.0.0.0:8080 (every interface), 127.0.0.1:8080, or [::]:8080 for IPv6; port 0 picks a free one.`,
    }
  return {ok: true, address: {host: (match[1] ?? match[2]) as string, port}}
}
