/**
 * A TCP endpoint and its one text form, `host:port` with an IPv6 literal in brackets
 * (`[2001:db8::1]:1688`). The same text is a KMS host's identity (the `host` label, the
 * status page's anchors, the poller's state key), a resolver's label and what a log line
 * shows, so every layer builds it here.
 */

export interface HostPort {
  host: string;
  port: number;
}

/**
 * `kms1.example:1688`, `10.0.0.1:1688`, `[::1]:1688`. Only an IPv6 literal contains a
 * colon (a DNS name or IPv4 address never does), so the colon alone decides the brackets.
 */
export function hostKey({ host, port }: HostPort): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
