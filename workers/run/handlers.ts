// The requests about runs: list, create, open, play / pause / step / reset, delete, and one step
// rebuilt for the inspector. Their replies only acknowledge: what changed is pushed first.

import { sequencePrompt } from '../../src/lib/data/prompt';
import type { Dataset } from '../../src/lib/data/types';
import { validateConfig } from '../../src/lib/icm/config';
import { unpackSegments } from '../../src/lib/icm/model';
import { proposalSequence, ReadCache } from '../../src/lib/icm/plan';
import { drawPool } from '../../src/lib/icm/pool';
import { stateBefore } from '../../src/lib/icm/replay';
import type { ModelSpec } from '../../src/lib/model/params';
import { runName } from '../../src/lib/model/names';
import type { RunSummary } from '../../src/lib/protocol';
import type { RunRecord } from '../../src/lib/store/schema';
import { budgetMessage, contextBudget } from '../../src/lib/model/budget';
import type { Backend } from '../backends/backend';
import { recordedRunRefusal } from '../backends/recorded/index';
import { isRecordingId, recordings } from '../../src/lib/data/recorded/index';
import { parseRecording, recordedProject, recordedRunId } from '../../src/lib/export/recording';
import { backendFor } from '../backends/registry';
import type { HostContext } from '../context';
import { HostError } from '../errors';
import { StoreError } from '../../src/lib/store/errors';
import type { Handlers } from '../handlers';
import { datasetSummary, itemRows, runSummary } from '../summaries';
import type { createPlayer } from './player';
import type { Sessions } from './session';
import type { TabMessage } from './tabs';

type RunRequests = 'init' | 'createRun' | 'poolBudget' | 'openRun' | 'openRecording' | 'play' | 'setSpeed' | 'pause' | 'step' | 'reset' | 'deleteRun' | 'stepDetail' | 'deleteDataset' | 'storageUse' | 'consents' | 'setConsent';

export function runHandlers(ctx: HostContext, sessions: Sessions, player: ReturnType<typeof createPlayer>): Pick<Handlers, RunRequests> {
  const { session, summary, push, resync, serial } = sessions;
  let builtinIds: string[] = [];

  /** The refusal when a pool of `poolSize` items of `ds` cannot fit the model's context; null when it fits. */
  async function contextRefusal(backend: Backend, spec: ModelSpec, ds: Dataset, poolSize: number): Promise<string | null> {
    const m = await backend.open(spec, ds, ds.items.map((_, i) => i));
    if (m.contextWindow === null) return null;
    const counts = m.tokenCounts();
    return budgetMessage(contextBudget(counts.items, m.contextWindow, counts.fixed), poolSize);
  }

  /** A run whose dataset is gone: still listed, so it can be deleted. */
  const orphan = (record: RunRecord): RunSummary =>
    runSummary(
      { ...record, state: null, status: 'error', error: { name: 'NotFoundError', message: 'The dataset of this run is no longer stored. Delete the run.' } },
      { id: record.datasetId, name: '', kind: 'factual', description: '', items: [] },
    );

  /** Deletes a run, even one another tab plays: its steps can no longer be saved (the store
   *  refuses a step of a run that is gone), and that tab is told to stop and say why. */
  async function deleteRun(runId: string): Promise<void> {
    const live = await sessions.live(runId);
    if (live) {
      await player.halt(live);
      await serial(live, async () => (await ctx.store()).deleteRun(runId));
    } else {
      await (await ctx.store()).deleteRun(runId);
    }
    await sessions.drop(runId);
    ctx.tabs.post({ kind: 'deleted', runId });
  }

  /** What another tab's worker wrote: followed here, so this tab shows it as stored. */
  async function fromOtherTab(m: TabMessage): Promise<void> {
    switch (m.kind) {
      case 'changed': {
        // a run this tab has not touched yet is followed too: the runs list shows it as it goes
        const s = await session(m.runId).catch(() => null);
        if (s) await player.follow(s);
        return;
      }
      case 'pause': {
        const s = await sessions.live(m.runId);
        if (s?.lock && player.playing(s)) {
          await player.stop(s);
          push(s);
        }
        return;
      }
      case 'deleted':
        await sessions.drop(m.runId);
        ctx.post({ kind: 'runDeleted', runId: m.runId });
        return;
      case 'imported':
        ctx.post({ kind: 'storeChanged' });
    }
  }
  ctx.tabs.listen((m) => void fromOtherTab(m).catch(() => undefined)); // a tab's message is news, never a request to answer

  return {
    // Opening never fails for want of space: with storage full, everything stored is still listed,
    // to back up or delete (the page says the app is read-only until space is freed).
    async init() {
      const db = await ctx.store();
      const builtin = ctx.builtins();
      builtinIds = builtin.map((d) => d.id);
      // stored once and kept: existing runs' pools index the stored items; where they cannot be
      // stored now, they are shown from memory, and stored with the first run made on one
      await db.addMissingDatasets(builtin).catch((e) => {
        if (!(e instanceof StoreError)) throw e;
      });
      for (const ds of builtin) if (!ctx.datasets.has(ds.id)) ctx.datasets.set(ds.id, ds);
      for (const ds of await db.listDatasets()) ctx.datasets.set(ds.id, ds);
      const order = (id: string) => {
        const i = builtinIds.indexOf(id);
        return i < 0 ? builtinIds.length : i;
      };
      const list = [...ctx.datasets.values()].sort((a, b) => order(a.id) - order(b.id) || a.name.localeCompare(b.name));
      const runs = [];
      for (const record of await db.listRuns()) {
        // a run stored as playing whose loop died with the browser (or tab) plays on here, so
        // the list's "running" is true without opening it; one another tab plays is followed
        if (record.status === 'running' && ctx.datasets.has(record.datasetId)) {
          const s = await session(record.id);
          await player.resume(s).catch((e) => sessions.fail(s, e)); // storage full: it shows why it stopped
        }
        const live = await sessions.live(record.id);
        const ds = ctx.datasets.get(record.datasetId);
        runs.push(live ? summary(live) : ds ? runSummary(record, ds) : orphan(record));
      }
      return { datasets: list.map((d) => datasetSummary(d, builtinIds.includes(d.id))), runs, storageFull: ctx.storageFull() };
    },

    async poolBudget(req) {
      const backend = backendFor(ctx.registry, req.model.kind);
      return { budget: backend.poolBudget?.(req.model, await ctx.dataset(req.datasetId)) ?? null };
    },

    async createRun(req) {
      const backend = backendFor(ctx.registry, req.model.kind);
      const { refusal } = backend.descriptor;
      const errors = { ...validateConfig(req.config), ...backend.descriptor.validate(req.model), ...(refusal ? { model: refusal } : {}) };
      if (Object.keys(errors).length > 0) return { ok: false, errors };
      const ds = await ctx.dataset(req.datasetId);
      const tooLong = await contextRefusal(backend, req.model, ds, req.config.poolSize);
      if (tooLong) return { ok: false, errors: { poolSize: tooLong } };
      if (builtinIds.includes(ds.id)) await (await ctx.store()).addMissingDatasets([ds]); // not stored at init when storage was full
      const config = { ...req.config };
      const groups = ds.items.map(({ group, key }) => ({ group, key }));
      const id = ctx.newId();
      const taken = new Set((await (await ctx.store()).listRuns()).map((r) => r.name));
      const record: RunRecord = {
        id,
        name: runName(ds.name, req.model, config.seed, id, taken),
        datasetId: ds.id,
        createdAt: ctx.now(),
        status: 'ready',
        config,
        model: req.model,
        pool: drawPool(groups, config.poolSize, config.seed),
        state: null, // initialised on the first play/step
        error: null,
        stepsPerSecond: req.stepsPerSecond ?? null,
      };
      await (await ctx.store()).createRun(record);
      ctx.tabs.post({ kind: 'changed', runId: record.id }); // the other tabs list it
      return { ok: true, run: runSummary(record, ds) };
    },

    async openRun(req) {
      const s = await session(req.runId);
      // the run's whole log goes out first, between two steps, so the pushes that follow continue it;
      // as stored, unless this worker writes it (its status may be ahead of storage)
      await serial(s, async () => {
        await resync(s, { whole: true, record: !s.lock });
        if (!s.lock) s.elsewhere = await ctx.tabs.held(req.runId);
        push(s);
      });
      if (s.elsewhere) player.watch(s); // for the tab playing it to let go
      return { runId: req.runId, items: itemRows(s.record, s.dataset) };
    },

    async openRecording(req) {
      if (!isRecordingId(req.recordingId)) throw new HostError('NotFoundError', `There is no recorded run "${req.recordingId}" in this version of the app. Reload the page.`);
      const id = recordedRunId(req.recordingId);
      const db = await ctx.store();
      const stored = await db.getRun(id);
      if (stored) return { run: summary(await session(id)) }; // opened before: the same run, not a copy
      const refused = (errors: string[]) => new HostError('RecordingError', `The recorded run cannot be opened: ${errors.slice(0, 3).join('; ')}.`);
      const parsed = parseRecording(await recordings[req.recordingId]());
      if (!parsed.ok) throw refused(parsed.errors);
      const records = recordedProject(parsed.value, await ctx.dataset(parsed.value.datasetId));
      if (!records.ok) throw refused(records.errors);
      await db.importAll({ datasets: [], overrides: [], labelTheRest: [], ...records.value });
      return { run: summary(await session(id)) };
    },

    async play(req) {
      const s = await session(req.runId);
      await player.play(s);
      push(s);
      return { runId: req.runId };
    },

    async setSpeed(req) {
      const s = await session(req.runId);
      const { stepsPerSecond } = req;
      // not in the run's queue: a step of a real model can take minutes, and the loop reads the
      // speed after each step; the write touches the speed alone, beside any step being saved
      s.record = { ...s.record, stepsPerSecond };
      try {
        await (await ctx.store()).patchRun(s.record.id, { stepsPerSecond });
      } catch (e) {
        if (!(e instanceof StoreError)) throw e; // storage full: the speed holds for this session
      }
      push(s);
      return { runId: req.runId };
    },

    async pause(req) {
      const s = await session(req.runId);
      await player.stop(s);
      push(s);
      return { runId: req.runId };
    },

    async step(req) {
      const s = await session(req.runId);
      await player.stepOnce(s);
      return { runId: req.runId };
    },

    async reset(req) {
      const s = await session(req.runId);
      if (s.record.model.kind === 'recorded') throw new HostError('RecordedRunError', recordedRunRefusal(s.record.model.model)); // its log is all there is of it
      await player.asWriter(s, async () => {
        await player.halt(s); // its last update goes out before the reset's
        await serial(s, async () => {
          await (await ctx.store()).resetRun(s.record.id);
          s.record = { ...s.record, state: null, status: 'ready', error: null };
          s.reads = new ReadCache(); // the run starts over as a new one, reads and their cost included
          s.restart = { init: null };
          s.unsent = [];
          s.head = null;
          s.wrote = true;
        });
      });
      push(s);
      return { runId: req.runId };
    },

    async deleteRun(req) {
      await deleteRun(req.runId);
      return { runId: req.runId };
    },

    async deleteDataset(req) {
      if (builtinIds.includes(req.datasetId)) throw new HostError('ProtocolError', 'A built-in task cannot be deleted: it comes back with the app.');
      const db = await ctx.store();
      const runIds = (await db.listRuns()).filter((r) => r.datasetId === req.datasetId).map((r) => r.id);
      for (const id of runIds) await deleteRun(id);
      await db.deleteDataset(req.datasetId);
      ctx.datasets.delete(req.datasetId);
      return { datasetId: req.datasetId, runIds };
    },

    async storageUse() {
      const sizes = await (await ctx.store()).sizes();
      const estimate = await globalThis.navigator?.storage?.estimate?.().catch(() => null);
      return { ...sizes, usage: estimate?.usage ?? null, quota: estimate?.quota ?? null };
    },

    async consents() {
      return { origins: await (await ctx.store()).consentedOrigins() };
    },

    async setConsent(req) {
      const db = await ctx.store();
      await db.setConsent(req.origin, req.agreed, ctx.now());
      return { origins: await db.consentedOrigins() };
    },

    async stepDetail(req) {
      const s = await session(req.runId);
      // the steps up to this one are all it takes to rebuild D before it
      const db = await ctx.store();
      const init = await db.getInit(req.runId);
      const steps = await db.stepsAfter(req.runId, 0, req.iteration);
      const event = steps.at(-1);
      if (!init || event?.iteration !== req.iteration)
        throw new HostError('NotFoundError', `Step ${req.iteration} is not in this run's log. Pick a step between 1 and ${s.record.state?.iteration ?? 0}.`);
      const { labels: before, order } = stateBefore(s.record.pool.length, init, steps, req.iteration);
      const pool = s.record.pool.map((d) => s.dataset.items[d]);
      const description = backendFor(ctx.registry, s.record.model.kind).descriptor.languageModel ? s.dataset.description : undefined; // only language models are shown it
      // what the step recorded; a log stored before steps recorded it is rebuilt by the plan of its time
      const segments = (event.read !== undefined && unpackSegments(event.read)) || proposalSequence(before, event.item, s.record.config, order);
      const read = sequencePrompt(s.dataset.kind, pool, segments, description);
      return { event, before, read };
    },
  };
}
