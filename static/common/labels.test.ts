import { describe, expect, it } from '@jest/globals';
import { DESTINATION_STATUSES, VERDICTS } from '../../src/contract';
import { STATUS_LABEL, VERDICT_LABEL } from './labels';

describe('labels', () => {
  it('give every status and every verdict a sentence-case label', () => {
    for (const status of DESTINATION_STATUSES) expect(STATUS_LABEL[status]).toMatch(/^[A-Z][a-z ]+$/);
    for (const verdict of VERDICTS) expect(VERDICT_LABEL[verdict]).toMatch(/^[A-Z][a-z ]+$/);
  });
});
