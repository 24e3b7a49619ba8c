/** A gallery arrangement: how many columns and rows, and each cell's size in CSS pixels. */
export type GalleryLayout = { cols: number; rows: number; cellWidth: number; cellHeight: number };

/**
 * The gallery that shows the most picture for `count` 16:9 videos in a
 * `width`×`height` stage: for each column count, the area a 16:9 picture
 * fitted into one cell would get, times the number of tiles; the best wins.
 * Cells then take the whole stage (video is cropped a little to fill them),
 * so the tiles always cover count/(cols·rows) of it: at least 75 % for 3 or
 * more people, and all of it for 1 or 2 (腾讯会议 and Zoom galleries do the same).
 */
export function galleryLayout(count: number, width: number, height: number, gap = 6, aspect = 16 / 9): GalleryLayout {
  const n = Math.max(1, count);
  let best: GalleryLayout = { cols: 1, rows: n, cellWidth: width, cellHeight: height / n };
  let bestArea = -1;
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols);
    // A column count that leaves a whole row empty is never better than one fewer.
    if ((cols - 1) * rows >= n && cols > 1) continue;
    const cellWidth = Math.max(0, (width - gap * (cols - 1)) / cols);
    const cellHeight = Math.max(0, (height - gap * (rows - 1)) / rows);
    const pictureWidth = Math.min(cellWidth, cellHeight * aspect);
    const area = n * pictureWidth * (pictureWidth / aspect);
    if (area > bestArea) {
      bestArea = area;
      best = { cols, rows, cellWidth, cellHeight };
    }
  }
  return best;
}
