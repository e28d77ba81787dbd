import { describe, expect, test } from 'vitest';
import type { ScreenshotView, ViewKind } from './ipc';
import { NO_VIEWS, groupViews, viewSentence } from './privacy';

// Wednesday 2 Dec 2026, 16:00 in Berlin.
const clock = { locale: 'en-GB', timeZone: 'Europe/Berlin', now: new Date('2026-12-02T15:00:00Z') };
const LENA = { viewerId: 'u-lena', viewerName: 'Lena Lind' };
const ADA = { viewerId: 'u-ada', viewerName: 'Ada Admin' };

let n = 0;
function view(who: typeof LENA, viewedAt: string, screenshotId: string, kind: ViewKind = 'file'): ScreenshotView {
  n += 1;
  return { id: `v${n}`, screenshotId, ...who, viewedAt, kind };
}

const say = (views: ScreenshotView[]) => groupViews(views, clock).map((g) => viewSentence(g, clock));

describe('who opened my screenshots, in words', () => {
  test('three screenshots in a row on Tuesday are one sentence', () => {
    const views = [
      view(LENA, '2026-12-01T13:02:00Z', 's1'),
      view(LENA, '2026-12-01T13:05:00Z', 's2'),
      view(LENA, '2026-12-01T13:10:00Z', 's3'),
    ];
    expect(say(views)).toEqual(['Lena Lind opened 3 screenshots yesterday, 14:02–14:10.']);
  });

  test('a thumbnail then the full image is one screenshot opened; thumbnails alone are said as such', () => {
    expect(say([view(LENA, '2026-11-24T08:00:00Z', 's1', 'thumb'), view(LENA, '2026-11-24T08:00:30Z', 's1')])).toEqual([
      'Lena Lind opened 1 screenshot on Tuesday 24 Nov, 09:00.',
    ]);
    expect(say([view(LENA, '2026-11-24T08:00:00Z', 's1', 'thumb')])).toEqual([
      'Lena Lind saw the thumbnail of 1 screenshot on Tuesday 24 Nov, 09:00.',
    ]);
    expect(
      say([
        view(LENA, '2026-11-24T08:00:00Z', 's1', 'thumb'),
        view(LENA, '2026-11-24T08:01:00Z', 's2', 'thumb'),
        view(LENA, '2026-11-24T08:02:00Z', 's3'),
      ]),
    ).toEqual(['Lena Lind opened 1 screenshot and saw the thumbnails of 2 more on Tuesday 24 Nov, 09:00–09:02.']);
  });

  test('newest first; a new sentence for another viewer, another day, or when someone else came between', () => {
    const views = [
      view(LENA, '2026-11-30T09:00:00Z', 's1'),
      view(LENA, '2026-12-02T09:00:00Z', 's2'),
      view(ADA, '2026-12-02T09:30:00Z', 's2', 'thumb'),
      view(LENA, '2026-12-02T10:00:00Z', 's3'),
      view(LENA, '2026-11-30T23:30:00Z', 's4'),
    ];
    expect(say(views)).toEqual([
      'Lena Lind opened 1 screenshot today, 11:00.',
      'Ada Admin saw the thumbnail of 1 screenshot today, 10:30.',
      'Lena Lind opened 1 screenshot today, 10:00.',
      // 23:30 UTC on Monday is already Tuesday in Berlin: not the same day as Monday's.
      'Lena Lind opened 1 screenshot yesterday, 00:30.',
      'Lena Lind opened 1 screenshot on Monday 30 Nov, 10:00.',
    ]);
  });

  test('someone who has left the organization is still named as someone', () => {
    expect(say([view({ viewerId: 'u-gone', viewerName: '' }, '2026-11-24T08:00:00Z', 's1')])).toEqual([
      'Someone no longer in your organization opened 1 screenshot on Tuesday 24 Nov, 09:00.',
    ]);
  });

  test('nothing to tell', () => {
    expect(groupViews([], clock)).toEqual([]);
    expect(NO_VIEWS).toBe('Nobody else has opened your screenshots in the last 30 days.');
  });
});
