import { describe, expect, it } from '@jest/globals';
import { reportTable } from '../src/suite/report-table.js';
import { Tally } from '../src/suite/tally.js';

describe('a row of the report', () => {
  it('passes only when every trial survived', () => {
    const row = new Tally('x');
    row.ok();
    expect(row.passed).toBe(true);
    row.fail('ERR_CLOSED after SIGKILL');
    row.fail('ERR_CLOSED after SIGKILL');
    expect(row.passed).toBe(false);
    expect(row.notes).toBe('ERR_CLOSED after SIGKILL (×2)');
  });

  it('fails with no trial, fails on a loss or a hang, and does not fail when skipped', () => {
    expect(new Tally('none').passed).toBe(false);
    const lost = new Tally('lost');
    lost.loss(3, 'three gone');
    expect([lost.passed, lost.lost]).toEqual([false, 3]);
    const hung = new Tally('hung');
    hung.hang('recv');
    expect([hung.passed, hung.notes]).toEqual([false, 'hung: recv']);
    const skipped = new Tally('skipped');
    skipped.skip('no broker');
    expect([skipped.passed, skipped.notes]).toEqual([true, 'skipped: no broker']);
  });

  it('prints as a table with tried, survived, lost, hung and notes', () => {
    const row = new Tally('peer-death pipe');
    row.ok();
    row.hang('recv');
    const table = reportTable([row]);
    expect(table.split('\n')[0]).toMatch(
      /^\| scenario +\| tried \| survived \| lost \| hung \| wrong \| result \| notes \|$/,
    );
    expect(table).toMatch(/\| peer-death pipe \| 2 +\| 1 +\| 0 +\| 1 +\| 0 +\| FAIL +\| hung: recv \|/);
  });
});
