import { describe, expect, it } from 'vitest';
import { HostingState } from './hosting.svelte';

const registrar = (opts: { controller?: unknown; fail?: Error } = {}) => {
  const registered: string[] = [];
  return {
    registered,
    register: async (url: string) => {
      registered.push(url);
      if (opts.fail) throw opts.fail;
    },
    ready: Promise.resolve(),
    controller: opts.controller ?? null,
  };
};

describe('HostingState', () => {
  it('registers the service worker relative to the page, so a sub-path works', async () => {
    const sw = registrar();
    const h = new HostingState(sw, false);
    await h.start();
    expect(sw.registered).toEqual(['sw.js']);
    expect(h.offline).toBe('ready');
  });

  it('on a host without isolation headers, says one thread and that a reload brings the headers', async () => {
    const h = new HostingState(registrar(), false);
    await h.start();
    expect(h.threadsNote).toMatch(/off on this load.*reload/);
  });

  it('says multi-threaded when the page is isolated', () => {
    expect(new HostingState(registrar({ controller: {} }), true).threadsNote).toMatch(/: on/);
  });

  it('names the failure when the service worker does not register, and one thread without it', async () => {
    const h = new HostingState(registrar({ fail: new Error('The operation is insecure.') }), false);
    await h.start();
    expect(h.offline).toBe('failed');
    expect(h.offlineNote).toContain('The operation is insecure.');
    expect(h.threadsNote).toMatch(/no service worker adds them/);
  });

  it('without a service worker (dev server), offline use is off', async () => {
    const h = new HostingState(null, false);
    await h.start();
    expect(h.offline).toBe('off');
  });
});
