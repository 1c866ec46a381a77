// Entry point: one worker client, one app state, one component tree.
import { mount } from 'svelte';
import App from './App.svelte';
import { AppState } from './lib/client/app.svelte';
import { WorkerClient } from './lib/client/worker-client';
import { HostingState } from './lib/client/hosting.svelte';
import './ui/theme.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element to mount the app in.');
// index.html's first frame, shown before this code loaded: the app shows it until its first screen is ready
const boot = document.getElementById('boot');
boot?.remove();

// The service worker keeps the app's own files for offline use; only in built apps, where
// file names are stable per build (the dev server rewrites modules on every change).
const hosting = new HostingState(import.meta.env.PROD && 'serviceWorker' in navigator ? navigator.serviceWorker : null);
void hosting.start();

mount(App, { target, props: { app: new AppState(new WorkerClient()), hosting, boot } });
