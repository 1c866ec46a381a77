// Entry point: one worker client, one app state, one component tree.
import { mount } from 'svelte';
import App from './App.svelte';
import { AppState } from './lib/client/app.svelte';
import { WorkerClient } from './lib/client/worker-client';
import './ui/theme.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element to mount the app in.');

mount(App, { target, props: { app: new AppState(new WorkerClient()) } });
