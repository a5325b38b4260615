import { shardOf } from './shards';

describe('shards', () => {
  it('spreads keys over shards stably', () => {
    expect(shardOf('PAY-1', 7)).toBe(shardOf('PAY-1', 7));
    const spread = new Set(Array.from({ length: 100 }, (_, i) => shardOf(`PAY-${i}`, 7)));
    expect(spread.size).toBe(7);
  });
});
