import { describe, expect, it } from 'vitest';
import { SetupDraft } from './setup-draft.svelte';
import { ServerConnection, type CheckFn } from '../../lib/client/server.svelte';
import type { ConnectionReport } from '../../lib/server/connection';
import { modelKinds } from '../../../workers/backends/kinds';

const report = (ok: boolean): ConnectionReport => ({
  ok,
  models: ['served-base'],
  checks: [{ name: 'reachable', ok, status: ok ? 'ok' : 'fail', message: ok ? 'answers' : 'nothing answers' }],
});

function serverDraft(ok = true): { draft: SetupDraft; models: string[] } {
  const models: string[] = [];
  const check: CheckFn = async (_b, model) => {
    models.push(model);
    return report(ok);
  };
  // listing the served models (before a check without a model name) reads this
  const fetch = async () => new Response(JSON.stringify({ object: 'list', data: [{ id: 'served-base' }] }), { status: 200 });
  const draft = new SetupDraft(() => null, new ServerConnection({ check, fetch }));
  draft.datasetId = 'math';
  draft.modelKind = 'server';
  return { draft, models };
}

describe('SetupDraft with your own server', () => {
  it('needs a passing connection check; the check fills in an empty model name', async () => {
    const { draft, models } = serverDraft();
    expect(draft.errors.model).toBeUndefined(); // empty is the starting point, not a red field
    expect(draft.errors.serverCheck).toMatch(/fills in the model/);
    expect(draft.valid).toBe(false);
    await draft.checkServer();
    expect(models).toEqual(['served-base']);
    expect(draft.specs.server.model).toBe('served-base');
    expect(draft.errors).toEqual({});
    expect(draft.model).toEqual({ kind: 'server', baseUrl: 'http://127.0.0.1:8000', model: 'served-base', topK: 20, concurrency: 4, timeoutS: 120, prompt: 'completion' });

    draft.specs.server.topK = 5;
    expect(draft.errors.serverCheck).toMatch(/changed since the last check/);
    draft.specs.server.topK = 20;
    draft.specs.server.concurrency = 8; // not part of the check
    expect(draft.valid).toBe(true);
  });

  it('keeps the key only when there is one, trimmed', () => {
    const { draft } = serverDraft();
    draft.specs.server.apiKey = '  sk-1 ';
    expect(draft.serverSpec.apiKey).toBe('sk-1');
    draft.specs.server.apiKey = '';
    expect('apiKey' in draft.serverSpec).toBe(false);
  });

  it('a failed check blocks Create run with its own message', async () => {
    const { draft } = serverDraft(false);
    draft.specs.server.model = 'served-base';
    await draft.checkServer();
    expect(draft.errors.serverCheck).toMatch(/check failed/);
  });

  it('asks for consent before anything goes to another machine, and checks fields beside them', async () => {
    const { draft, models } = serverDraft();
    draft.specs.server.baseUrl = 'https://gpu.example.org';
    draft.specs.server.model = 'served-base';
    expect(draft.errors.serverPrivacy).toMatch(/sent to https:\/\/gpu\.example\.org/);
    await draft.checkServer();
    expect(models).toEqual([]);
    draft.connection.setConsent(draft.specs.server.baseUrl, true);
    expect(draft.errors.serverPrivacy).toBeUndefined();
    await draft.checkServer();
    expect(models).toEqual(['served-base']);
    expect(draft.valid).toBe(true);

    draft.specs.server.baseUrl = 'gpu.example.org';
    draft.specs.server.timeoutS = 0;
    expect(draft.errors.baseUrl).toMatch(/http/);
    expect(draft.errors.timeoutS).toMatch(/Request timeout/);
  });
});

describe('SetupDraft pool default', () => {
  it('follows the chosen model and task until the pool is edited; Restore defaults brings it back', () => {
    const draft = new SetupDraft();
    expect(draft.config.poolSize).toBe(128);
    draft.setPoolDefault({ size: 26, reason: '26 items of this task fit' });
    expect(draft.config.poolSize).toBe(26);
    draft.setPoolDefault({ size: 78, reason: '78 items of this task fit' });
    expect(draft.config.poolSize).toBe(78);
    draft.config.poolSize = 20; // the person's own choice stays
    draft.setPoolDefault({ size: 30, reason: '30 items of this task fit' });
    expect(draft.config.poolSize).toBe(20);
    draft.restoreDefaults();
    expect(draft.config.poolSize).toBe(30);
  });
});

describe('SetupDraft: the scoring plan follows the model’s prefix cache', () => {
  it('a model with a prefix cache defaults to blocks through the prefix tree; a plan the person chose stays', () => {
    // kinds that differ only in their prefix cache: the server's has one, the others none
    const kinds = Object.fromEntries(Object.values(modelKinds).map((d) => [d.kind, { ...d, prefixCache: d.kind === 'server' }]));
    const draft = new SetupDraft(() => null, undefined, kinds);
    expect([draft.config.plan, draft.config.blocks]).toEqual(['blocks', 4]); // the simulated model has none
    draft.modelKind = 'server';
    expect([draft.config.plan, draft.config.blocks]).toEqual(['treeBlocks', 2]);
    draft.modelKind = 'webllm';
    expect([draft.config.plan, draft.config.blocks]).toEqual(['blocks', 4]);
    draft.config.plan = 'leaveOneOut';
    draft.modelKind = 'server';
    expect(draft.config.plan).toBe('leaveOneOut'); // chosen, so kept
    draft.restoreDefaults();
    expect([draft.config.plan, draft.config.blocks]).toEqual(['treeBlocks', 2]);
  });

  it('llama.cpp in the worker and a server read through the prefix tree; web-llm and the simulated model keep flat blocks', () => {
    const draft = new SetupDraft();
    for (const [kind, plan] of [['wllama', 'treeBlocks'], ['simulated', 'blocks'], ['server', 'treeBlocks'], ['webllm', 'blocks']] as const) {
      draft.modelKind = kind;
      expect([kind, draft.config.plan]).toEqual([kind, plan]);
    }
  });
});
