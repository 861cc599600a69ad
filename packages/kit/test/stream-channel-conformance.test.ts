import { describeChannelConformance, jestRunner } from '@ipc/core/testing';
import { forkedEchoPeer, unixSocketPair } from './fixtures/socket-pair.js';

describeChannelConformance(
  'streamChannel over a Unix socket',
  {
    pair: ({ codec }) => unixSocketPair({ codec }),
    peer: () => forkedEchoPeer(),
  },
  jestRunner(),
);

// Both ends @ipc and told so: graceful closes end with the close marker, so a peer killed between
// messages is ERR_PEER_GONE (what the socket and pipe transports turn on where both ends are @ipc).
const markers = { sendCloseMarker: true, expectCloseMarker: true };
describeChannelConformance(
  'streamChannel over a Unix socket, with close markers',
  {
    pair: ({ codec }) => unixSocketPair({ codec, ...markers }),
    peer: () => forkedEchoPeer('msgpack', true),
    tellsPeerDeath: true,
    messages: 20_000,
  },
  jestRunner(),
);
