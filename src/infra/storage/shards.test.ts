import { readTime, shardOf } from './shards';

describe('shards and read times', () => {
  it('spreads keys over shards stably', () => {
    expect(shardOf('PAY-1', 7)).toBe(shardOf('PAY-1', 7));
    const spread = new Set(Array.from({ length: 100 }, (_, i) => shardOf(`PAY-${i}`, 7)));
    expect(spread.size).toBe(7);
  });

  it('stamps reads in a strictly increasing order, even within one millisecond', () => {
    const stamps = Array.from({ length: 50 }, () => readTime());
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]).toBeGreaterThan(stamps[i - 1] as number);
  });
});
