import { describeChannelConformance, jestRunner } from '@ipc/core/testing';
import { forkedEcho, relayPair } from './fixtures/pipe-pair.js';

// The pair: spawnChannel's end (fd 3) and a second inherited socket (fd 4) joined by a relaying child.
// The peer: a real child speaking through parentChannel, started with forkChannel, killed with SIGKILL.
describeChannelConformance(
  '@ipc/pipe (spawnChannel through a relaying child)',
  {
    pair: ({ codec }) => relayPair(codec),
    peer: () => forkedEcho(),
    tellsPeerDeath: true, // by the child's exit status
  },
  jestRunner(),
);
