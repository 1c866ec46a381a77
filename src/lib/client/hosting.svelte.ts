// What this copy of the app can do where it is hosted: whether its files are kept for offline
// use (the service worker, public/sw.js), and whether the page is cross-origin isolated, which
// llama.cpp's multi-threaded wasm needs (SharedArrayBuffer). Most static hosts send no COOP/COEP
// headers; the service worker then adds them to the app's files, from the next load on.

export type OfflineState = 'off' | 'installing' | 'ready' | 'failed';

interface Registrar {
  register(url: string): Promise<unknown>;
  readonly ready: Promise<unknown>;
  readonly controller: unknown;
}

export class HostingState {
  offline = $state<OfflineState>('off');
  offlineError = $state<string | null>(null);
  /** SharedArrayBuffer is there: llama.cpp can run on several threads. */
  readonly isolated: boolean;
  /** This load came through the service worker, so the headers it adds applied to it. */
  readonly controlled: boolean;

  constructor(
    private readonly sw: Registrar | null,
    isolated = globalThis.crossOriginIsolated === true,
  ) {
    this.isolated = isolated;
    this.controlled = Boolean(sw?.controller);
  }

  /** Registers the service worker beside the page ('sw.js' is relative: any sub-path works). */
  async start(): Promise<void> {
    if (!this.sw) return;
    this.offline = 'installing';
    try {
      await this.sw.register('sw.js');
      await this.sw.ready;
      this.offline = 'ready';
    } catch (e) {
      this.offline = 'failed';
      this.offlineError = e instanceof Error ? e.message : String(e);
    }
  }

  /** One sentence on threads for llama.cpp, saying why when there is only one. */
  get threadsNote(): string {
    if (this.isolated) return 'Multi-threaded WebAssembly: on (this page is cross-origin isolated).';
    if (this.controlled) return 'Multi-threaded WebAssembly: off. The page is not cross-origin isolated even through the service worker, so llama.cpp runs on one thread.';
    if (this.offline === 'ready') return 'Multi-threaded WebAssembly: off on this load (the host sends no cross-origin isolation headers); the service worker adds them from the next load on, so reload for several llama.cpp threads.';
    return 'Multi-threaded WebAssembly: off. The host sends no cross-origin isolation headers (COOP/COEP) and no service worker adds them, so llama.cpp runs on one thread.';
  }

  get offlineNote(): string {
    switch (this.offline) {
      case 'ready':
        return 'Works offline: the app\u2019s files are kept in this browser.';
      case 'installing':
        return 'Keeping the app\u2019s files for offline use\u2026';
      case 'failed':
        return `Offline use is off: the service worker did not register (${this.offlineError}).`;
      case 'off':
        return 'Offline use is off in this build (development server, or no service worker in this browser).';
    }
  }
}
