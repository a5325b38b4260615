import { describe, expect, it } from '@jest/globals';
import { unionJql } from './portfolio-unions';

describe('unionJql', () => {
  it('joins the JQL of several destinations with OR and drops ORDER BY', () => {
    expect(unionJql(['parent in (A-1) ORDER BY rank', 'parent in (B-1)'])).toBe('(parent in (A-1)) OR (parent in (B-1))');
    expect(unionJql(['x = 1 order by status ASC'])).toBe('x = 1');
  });

  it('gives no JQL when no destination has any', () => {
    expect(unionJql([undefined])).toBeUndefined();
  });
});
