import { busTopology } from './topology';
import { STREAM_REPLICAS_ENV, StreamReplicasError, streamReplicas } from './stream-replicas';
import { streamConfigs } from './streams';

describe('BASCULE_STREAM_REPLICAS', () => {
  it('is 1 when unset or empty: a single server', () => {
    expect(streamReplicas({})).toBe(1);
    expect(streamReplicas({ [STREAM_REPLICAS_ENV]: '  ' })).toBe(1);
  });

  it('takes a whole number from 1 to 5', () => {
    expect(streamReplicas({ [STREAM_REPLICAS_ENV]: '3' })).toBe(3);
    expect(streamReplicas({ [STREAM_REPLICAS_ENV]: ' 5 ' })).toBe(5);
    expect(streamReplicas({ [STREAM_REPLICAS_ENV]: '1' })).toBe(1);
  });

  it.each(['0', '6', '-1', '2.5', 'three', '3x', '1e1'])('refuses %p, naming the variable', (value) => {
    const attempt = () => streamReplicas({ [STREAM_REPLICAS_ENV]: value });
    expect(attempt).toThrow(StreamReplicasError);
    expect(attempt).toThrow(`BASCULE_STREAM_REPLICAS must be a whole number from 1 to 5 (copies of each JetStream stream), not "${value}"`);
  });

  it('is the replica count of both streams the services create', () => {
    const topology = busTopology('replicas');
    expect(streamConfigs(topology, 3).map((config) => [config.name, config.num_replicas])).toEqual([
      ['REPLICAS_EVENTS', 3],
      ['REPLICAS_CMDS', 3],
    ]);
  });

  it('is read from the environment when not given', () => {
    const saved = process.env[STREAM_REPLICAS_ENV];
    try {
      process.env[STREAM_REPLICAS_ENV] = '3';
      expect(streamConfigs(busTopology('replicas')).every((config) => config.num_replicas === 3)).toBe(true);
      process.env[STREAM_REPLICAS_ENV] = '7';
      expect(() => streamConfigs(busTopology('replicas'))).toThrow(/BASCULE_STREAM_REPLICAS/);
      delete process.env[STREAM_REPLICAS_ENV];
      expect(streamConfigs(busTopology('replicas')).every((config) => config.num_replicas === 1)).toBe(true);
    } finally {
      if (saved === undefined) delete process.env[STREAM_REPLICAS_ENV];
      else process.env[STREAM_REPLICAS_ENV] = saved;
    }
  });
});
