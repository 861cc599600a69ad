import { describe, expect, it } from '@jest/globals';
import { claimableNames } from '../src/spool-listing.js';

// Names as spool senders make them: <ms>.<counter>.<pid>-<start>.
const a = (ms: number, n: number): string =>
  `${String(ms).padStart(15, '0')}.${String(n).padStart(9, '0')}.100-1`;
const b = (ms: number, n: number): string =>
  `${String(ms).padStart(15, '0')}.${String(n).padStart(9, '0')}.200-1`;

describe('claimableNames (which names of new/ a receiver claims after listing it twice)', () => {
  it('takes every name when nothing was renamed in between the listings', () => {
    const names = [a(1, 1), a(1, 2), b(2, 1)];
    expect(claimableNames(names, names)).toEqual({ names, more: false });
  });

  it('leaves names renamed in during the listings, and every later one, for the next listing', () => {
    const first = [a(1, 1), a(3, 3)];
    const second = [a(1, 1), a(2, 2), a(3, 3), a(4, 4)];
    expect(claimableNames(first, second)).toEqual({ names: [a(1, 1)], more: true });
  });

  it('does not take a later file of one sender while an earlier one may be missing (the W4 case)', () => {
    // Sender B is fast: its file, named later, was in the folder at the first listing. Sender A is
    // slow (fsync): its files a(5,7) and then a(5,8) were renamed in during the second listing, which
    // had passed a(5,7)'s place in hash order and so showed only a(5,8). Taking a(5,8) because it
    // sorts before b(9,1) would deliver it before a(5,7).
    const first = [b(9, 1)];
    const second = [a(5, 8), b(9, 1)];
    expect(claimableNames(first, second)).toEqual({ names: [b(9, 1)], more: true });
  });

  it("holds back only the writer whose new file came in: the other writers' files are taken", () => {
    const first = [a(1, 1), b(2, 1), b(6, 2), a(7, 3)];
    const second = [a(1, 1), b(2, 1), a(5, 2), b(6, 2), a(7, 3)];
    expect(claimableNames(first, second)).toEqual({ names: [a(1, 1), b(2, 1), b(6, 2)], more: true });
  });

  it('counts files dropped by other programs as one writer', () => {
    const first = ['job-1.json', 'job-3.json'];
    const second = [a(1, 1), 'job-1.json', 'job-2.json', 'job-3.json'];
    expect(claimableNames(first, second)).toEqual({ names: ['job-1.json'], more: true });
  });

  it('takes nothing from an empty second listing (another consumer claimed everything)', () => {
    expect(claimableNames([a(1, 1)], [])).toEqual({ names: [], more: false });
  });
});
