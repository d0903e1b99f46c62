/**
 * A tiny authoritative DNS server on 127.0.0.1 (UDP) that publishes `_vlmcs._tcp.<zone>`
 * SRV records whose targets carry bytes no sane zone has: ESC sequences, NUL, a newline
 * followed by a forged Nagios status line, `'`, `=` and `|`. The lab zone server refuses
 * such names (it publishes plain ASCII only), so the command tests use this one to get
 * them from a real DNS answer. Every A query under the zone answers 127.0.0.1, where lab
 * KMS hosts listen, so the hostile hosts are probed for real.
 */
import dgram from 'node:dgram';
import dnsPacket from 'dns-packet';

export const HOSTILE_ZONE = 'hostile.kms-lab.test';

/** Target names as published (each a single DNS label before the zone). */
export const HOSTILE_TARGETS = [
  `esc\x1b[31mred\x1b[0m.${HOSTILE_ZONE}`,
  `nul\x00byte.${HOSTILE_ZONE}`,
  `line\nKMS OK - forged.${HOSTILE_ZONE}`,
  `quote'eq=pipe|bell\x07.${HOSTILE_ZONE}`,
];

export interface HostileDns {
  resolver: string;
  close(): Promise<void>;
}

/** Target i points at kmsPorts[i % kmsPorts.length] on 127.0.0.1. */
export async function startHostileDns(...kmsPorts: number[]): Promise<HostileDns> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (message, peer) => {
    let query;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase();
    const inZone = name === HOSTILE_ZONE || name.endsWith(`.${HOSTILE_ZONE}`);
    const answers: dnsPacket.Answer[] = [];
    if (question.type === 'SRV' && name === `_vlmcs._tcp.${HOSTILE_ZONE}`) {
      HOSTILE_TARGETS.forEach((target, i) =>
        answers.push({
          type: 'SRV',
          name: question.name,
          ttl: 60,
          class: 'IN',
          data: { target, port: kmsPorts[i % kmsPorts.length] ?? 1, priority: 0, weight: 10 + i },
        }),
      );
    } else if (question.type === 'A' && inZone) {
      answers.push({ type: 'A', name: question.name, ttl: 60, class: 'IN', data: '127.0.0.1' });
    }
    const reply = dnsPacket.encode({
      type: 'response',
      id: query.id ?? 0,
      // The rcode is the flags' low 4 bits: 5 REFUSED for names outside the zone.
      flags: dnsPacket.AUTHORITATIVE_ANSWER | (inZone ? 0 : 5),
      questions: query.questions ?? [],
      answers,
    } as dnsPacket.Packet);
    socket.send(reply, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const { port } = socket.address();
  return {
    resolver: `127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
