/// The URL a server listening on `address:port` (as `server.address()` reports it) answers at, for the startup line:
/// the address itself; a wildcard answers on every interface, so it names one a browser on this machine reaches
/// (IPv4 `0.0.0.0` has no IPv6 loopback, so not `localhost`, which may resolve to `::1` first).
export function listeningUrl(address: string, port: number): string {
  if (address === '0.0.0.0') return `http://127.0.0.1:${port}`
  if (address === '::') return `http://localhost:${port}`
  return `http://${address.includes(':') ? `[${address}]` : address}:${port}`
}
