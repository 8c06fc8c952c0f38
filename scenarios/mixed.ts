// k6 run dist/mixed.js  (profile 'mixed': the reads and, at the profile's writeRatio, the writes side by side, as the service sees production)
import { writesSuite } from '../lib/k6/suite.ts';

// k6 reads these exports: options, the lifecycle functions and one exec function per route.
export const { options, setup, teardown, query, id, ref, post_businesses, post_parties, patch_parties, put_link, handleSummary } = writesSuite('mixed');
