import type { MartBuilder } from './mart.builder';
import { MartRefresher } from './mart.refresher';

/** A builder whose progress the test sets; it records the builds asked of it. */
function builderWith(state: { appliedEvents: number; builtFrom: number; builtAt: Date | null; geolocationApplied?: number }, buildMs = 1) {
  const builds: number[] = [];
  const geolocationBuilds: number[] = [];
  const builder = {
    progress: async () => ({ geolocationApplied: 0, ...state, fresh: state.builtAt !== null && state.builtFrom === state.appliedEvents }),
    buildGeolocation: async () => {
      geolocationBuilds.push(state.geolocationApplied ?? 0);
      return true;
    },
    build: async () => {
      builds.push(state.appliedEvents);
      state.builtFrom = state.appliedEvents;
      state.builtAt = new Date();
      return { builtFrom: state.appliedEvents, ms: buildMs };
    },
  } as unknown as MartBuilder;
  return { builder, builds, geolocationBuilds };
}

describe('MartRefresher', () => {
  it('builds once at start, then only after a quiet poll with nothing pending upstream', async () => {
    const state = { appliedEvents: 0, builtFrom: 0, builtAt: null as Date | null };
    let upstream = 0;
    const { builder, builds } = builderWith(state);
    const refresher = new MartRefresher(builder, { upstreamPending: async () => upstream, maxWaitMs: 60_000 });
    await refresher.tick();
    expect(builds).toEqual([0]);

    state.appliedEvents = 100;
    upstream = 3;
    await refresher.tick(); // events arrived since the last poll: not quiet
    await refresher.tick(); // quiet, but the contexts still have 3 messages to apply
    expect(builds).toEqual([0]);

    upstream = 0;
    await refresher.tick();
    expect(builds).toEqual([0, 100]);
    await refresher.tick(); // fresh: nothing to do
    expect(builds).toEqual([0, 100]);
  });

  it('holds the build back while the upstream backlog shrinks, however long that takes', async () => {
    const state = { appliedEvents: 0, builtFrom: 0, builtAt: new Date() };
    let upstream = 40;
    const { builder, builds } = builderWith(state);
    const refresher = new MartRefresher(builder, { upstreamPending: async () => upstream, maxWaitMs: 50 });
    state.appliedEvents = 10;
    for (let i = 0; i < 4; i++) {
      await refresher.tick();
      await new Promise((r) => setTimeout(r, 30));
      upstream -= 5;
    }
    expect(builds).toEqual([]); // 120 ms behind, more than maxWaitMs, but the backlog kept shrinking
    upstream = 0;
    await refresher.tick();
    expect(builds).toEqual([10]);
  });

  it('builds anyway once the upstream backlog has not shrunk for maxWaitMs', async () => {
    const state = { appliedEvents: 0, builtFrom: 0, builtAt: new Date() };
    const { builder, builds } = builderWith(state);
    const refresher = new MartRefresher(builder, { upstreamPending: async () => 5, maxWaitMs: 50 });
    state.appliedEvents = 10;
    await refresher.tick();
    await refresher.tick();
    expect(builds).toEqual([]);
    await new Promise((r) => setTimeout(r, 60));
    await refresher.tick();
    expect(builds).toEqual([10]);
  });

  it('waits longer behind a busy upstream after a long build: builds take at most busyBuildShare of the time', async () => {
    const state = { appliedEvents: 0, builtFrom: 0, builtAt: new Date() };
    // Every build takes 20 ms; with a share of 0.1 the wait behind a busy upstream is at least 200 ms.
    const { builder, builds } = builderWith(state, 20);
    const refresher = new MartRefresher(builder, { upstreamPending: async () => 5, maxWaitMs: 50, busyBuildShare: 0.1 });
    state.appliedEvents = 10;
    await refresher.tick();
    await new Promise((r) => setTimeout(r, 60));
    await refresher.tick();
    expect(builds).toEqual([10]); // no build yet to go by: maxWaitMs
    state.appliedEvents = 20;
    await refresher.tick();
    await new Promise((r) => setTimeout(r, 60));
    await refresher.tick();
    expect(builds).toEqual([10]); // 60 ms < 20 ms / 0.1
    await new Promise((r) => setTimeout(r, 160));
    await refresher.tick();
    expect(builds).toEqual([10, 20]);
  });

  it('rebuilds dim_geolocation alone once the geolocation feed stood still, while the marts are held back', async () => {
    const state = { appliedEvents: 0, builtFrom: 0, builtAt: new Date(), geolocationApplied: 0 };
    const { builder, builds, geolocationBuilds } = builderWith(state);
    const refresher = new MartRefresher(builder, { upstreamPending: async () => 7, maxWaitMs: 60_000, geolocationQuietMs: 40 });
    const tick = async (events: number, geolocation: number) => {
      state.appliedEvents += events;
      state.geolocationApplied = geolocation;
      await refresher.tick();
    };
    await tick(10, 5);
    await new Promise((r) => setTimeout(r, 50));
    await tick(10, 9); // the feed still moves
    expect(geolocationBuilds).toEqual([]);
    await tick(10, 9); // still, but not for long yet
    expect(geolocationBuilds).toEqual([]);
    await new Promise((r) => setTimeout(r, 50));
    await tick(10, 9);
    expect(geolocationBuilds).toEqual([9]);
    await new Promise((r) => setTimeout(r, 50));
    await tick(10, 9); // nothing new for it since
    expect(geolocationBuilds).toEqual([9]);
    expect(builds).toEqual([]); // the marts stay held back meanwhile
  });

  it('does not rebuild dim_geolocation while its feed has messages left to apply, however long it stood still', async () => {
    const state = { appliedEvents: 0, builtFrom: 0, builtAt: new Date(), geolocationApplied: 0 };
    const { builder, geolocationBuilds } = builderWith(state);
    let pending = 3;
    const refresher = new MartRefresher(builder, { upstreamPending: async () => 7, maxWaitMs: 60_000, geolocationQuietMs: 40, geolocationPending: async () => pending });
    const tick = async () => {
      state.appliedEvents += 10;
      state.geolocationApplied = 9;
      await refresher.tick();
    };
    await tick();
    await new Promise((r) => setTimeout(r, 50));
    await tick(); // stood still long enough, but three messages of the feed are still to be applied
    await new Promise((r) => setTimeout(r, 50));
    await tick();
    expect(geolocationBuilds).toEqual([]);
    pending = 0;
    await tick();
    expect(geolocationBuilds).toEqual([9]);
  });
});
