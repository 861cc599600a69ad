import { describeChannelConformance, jestRunner } from '@ipc/core/testing';
import { echoPeer, socketPair, type Kind } from './fixtures/servers.js';
import { selfSignedCert } from './fixtures/tls-cert.js';

const tls = selfSignedCert();
const kinds: { kind: Kind; label: string; messages?: number }[] = [
  { kind: 'unix', label: 'a Unix socket path' },
  { kind: 'abstract', label: 'a Linux abstract socket', messages: 20_000 },
  { kind: 'tcp', label: 'TCP over IPv4', messages: 20_000 },
  { kind: 'tls', label: 'TLS over TCP', messages: 20_000 },
];

for (const { kind, label, messages } of kinds) {
  const cert = kind === 'tls' ? tls : undefined;
  describeChannelConformance(
    `@ipc/socket over ${label}`,
    {
      pair: ({ codec }) => socketPair(kind, codec, cert),
      peer: () => echoPeer(kind, cert),
      messages,
    },
    jestRunner(),
  );
}
