import {
  childEchoPeer,
  describePythonPeerConformance,
  pythonEchoPeerArgs,
  jestRunner,
} from '@ipc/core/testing';
import { spawnChannel } from '@ipc/pipe';

// The Python peer: python3 started by spawnChannel, speaking Connection(3) — plain multiprocessing.connection.
describePythonPeerConformance(
  '@ipc/pipe (spawnChannel, Python child on fd 3)',
  {
    peer: (codec) => {
      const { channel, child } = spawnChannel('python3', pythonEchoPeerArgs(codec, { fd: 3 }), { codec });
      return Promise.resolve(childEchoPeer(channel, child));
    },
  },
  jestRunner(),
);
