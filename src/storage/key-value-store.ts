import type { StateStore } from './state-store.js';

/** The part of the StateStore that single-use records need (challenges, completion tickets). */
export type KeyValueStore = Pick<StateStore, 'putIfAbsent' | 'get' | 'take'>;
