// k6 run dist/smoke.js  (profile 'smoke'; env variables override it: see docs/configuration.md)
import { suite } from '../lib/k6/suite.ts';

// k6 reads these exports: options, the lifecycle functions and one exec function per route.
export const { options, setup, query, id, ref, handleSummary } = suite('smoke');
