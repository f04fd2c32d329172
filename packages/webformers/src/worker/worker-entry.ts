/**
 * The module Worker script: exposes a `WorkerHost` running the in-thread API on this thread.
 * Loaded by `spawn-worker.ts`; never imported by main-thread code.
 */
import * as Comlink from 'comlink';
import { cache } from '../cache/index.js';
import { WorkerHost } from './host.js';
import { inThreadRuntime } from './runtime.js';

Comlink.expose(new WorkerHost(inThreadRuntime(cache)));
