import { describe, expect, it } from 'vitest';
import { galleryLayout } from '../../client/src/ui/room/layout.js';

/** Share of the stage the tiles cover, gaps included as lost space. */
function coverage(count: number, width: number, height: number): number {
  const l = galleryLayout(count, width, height);
  return (count * l.cellWidth * l.cellHeight) / (width * height);
}

describe('gallery layout', () => {
  it('puts two people side by side on a landscape screen and one above the other on a phone', () => {
    expect(galleryLayout(2, 1280, 650)).toMatchObject({ cols: 2, rows: 1 });
    expect(galleryLayout(2, 360, 500)).toMatchObject({ cols: 1, rows: 2 });
  });

  it('covers at least 60 % of the stage for 1 to 12 people at phone, tablet and desktop sizes', () => {
    for (const [w, h] of [
      [348, 500],
      [756, 880],
      [1268, 660],
    ] as const) {
      for (let n = 1; n <= 12; n++) expect(coverage(n, w, h), `${n} people in ${w}×${h}`).toBeGreaterThanOrEqual(0.6);
    }
  });

  it('never leaves a whole row empty and fits every tile', () => {
    for (let n = 1; n <= 12; n++) {
      const l = galleryLayout(n, 1268, 660);
      expect(l.cols * l.rows).toBeGreaterThanOrEqual(n);
      expect(l.cols * (l.rows - 1)).toBeLessThan(n);
    }
  });

  it('survives a stage not yet measured', () => {
    expect(galleryLayout(3, 0, 0)).toMatchObject({ cellWidth: 0, cellHeight: 0 });
  });
});
