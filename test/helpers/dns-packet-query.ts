/**
 * A query as dns-packet encodes it: the independent reference the DNS codec tests compare
 * the client's own encoder with, and what the lab zone server tests send.
 */
import dnsPacket from 'dns-packet';

export function dnsPacketQuery(
  name: string,
  type: string,
  options: { id?: number; edns?: boolean } = {},
): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id: options.id ?? 4242,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type: type as 'A', class: 'IN' }],
    ...(options.edns === true && {
      additionals: [
        {
          type: 'OPT' as const,
          name: '.',
          udpPayloadSize: 1232,
          extendedRcode: 0,
          ednsVersion: 0,
          flags: 0,
          flag_do: false,
          options: [],
        },
      ],
    }),
  });
}
