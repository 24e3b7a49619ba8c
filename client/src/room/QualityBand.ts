import type { Quality } from './stats.js';

const rank: Record<Quality, number> = { good: 0, poor: 1, bad: 2 };
const byRank: Quality[] = ['good', 'poor', 'bad'];

/**
 * The quality badge people see, steadied: it gets worse after two samples in a
 * row are worse than shown, and better only after three in a row are better
 * (then to the worst of those three). A link hovering at a band's edge no
 * longer flips the badge every few seconds.
 */
export class QualityBand {
  private shown: Quality = 'good';
  private worse = 0;
  private better: Quality[] = [];

  constructor(
    private readonly worseAfter = 2,
    private readonly betterAfter = 3,
  ) {}

  get quality(): Quality {
    return this.shown;
  }

  observe(raw: Quality): Quality {
    const delta = rank[raw] - rank[this.shown];
    if (delta > 0) {
      this.better = [];
      if (++this.worse >= this.worseAfter) {
        this.worse = 0;
        this.shown = raw;
      }
    } else if (delta < 0) {
      this.worse = 0;
      this.better.push(raw);
      if (this.better.length >= this.betterAfter) {
        this.shown = byRank[Math.max(...this.better.map((q) => rank[q]))] ?? this.shown;
        this.better = [];
      }
    } else {
      this.worse = 0;
      this.better = [];
    }
    return this.shown;
  }
}
