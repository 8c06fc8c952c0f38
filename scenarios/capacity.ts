// k6 run -e RATE=150 dist/capacity.js  (profile 'capacity': one probe of `npm run capacity`, each route at RATE requests/s for STEP)
import { suite } from '../lib/k6/suite.ts';

// k6 reads these exports: options, the lifecycle functions and one exec function per route.
export const { options, setup, query, id, ref, handleSummary } = suite('capacity');
