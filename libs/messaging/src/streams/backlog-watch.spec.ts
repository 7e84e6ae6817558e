import { BacklogWatch } from './backlog-watch';

describe('BacklogWatch', () => {
  it('holds while the backlog shrinks, however long that takes', () => {
    const watch = new BacklogWatch();
    let pending = 1_000;
    for (let t = 0; t <= 120_000; t += 5_000, pending -= 40) expect(watch.holds(pending, t, 10_000)).toBe(true);
  });

  it('lets go once the backlog is empty', () => {
    const watch = new BacklogWatch();
    expect(watch.holds(5, 0, 10_000)).toBe(true);
    expect(watch.holds(0, 1_000, 10_000)).toBe(false);
  });

  it('lets go of a backlog that has not shrunk for the longest wait, also while it grows', () => {
    const watch = new BacklogWatch();
    expect(watch.holds(50, 0, 10_000)).toBe(true);
    expect(watch.holds(50, 9_999, 10_000)).toBe(true);
    expect(watch.holds(80, 10_000, 10_000)).toBe(false);
  });

  it('looks at a new backlog afresh after a reset', () => {
    const watch = new BacklogWatch();
    expect(watch.holds(0, 0, 10_000)).toBe(false);
    watch.reset();
    // A load arriving an hour later is held, not taken for a stuck one.
    expect(watch.holds(300, 3_600_000, 10_000)).toBe(true);
    expect(watch.holds(300, 3_609_999, 10_000)).toBe(true);
    expect(watch.holds(300, 3_610_000, 10_000)).toBe(false);
  });
});
