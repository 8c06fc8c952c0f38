// k6 run dist/writes.js  (profile 'writes': every write creates its own business; teardown removes them. PROFILE=mixed adds the reads)
import { writesSuite } from '../lib/k6/suite.ts';

// k6 reads these exports: options, the lifecycle functions and one exec function per route.
export const { options, setup, teardown, query, id, ref, post_businesses, post_parties, patch_parties, put_link, handleSummary } = writesSuite('writes');
