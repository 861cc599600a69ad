import { describeChannelConformance } from '@ipc/core/testing';
import { forkedEchoPeer, unixSocketPair } from './fixtures/socket-pair.js';

describeChannelConformance('streamChannel over a Unix socket', {
  pair: ({ codec }) => unixSocketPair({ codec }),
  peer: () => forkedEchoPeer(),
});
