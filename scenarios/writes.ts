// k6 run dist/writes.js  (profile 'writes': every write creates its own business; teardown removes them. PROFILE=mixed adds the reads)
import { writesSuite } from '../lib/k6/writes.ts';

const s = writesSuite('writes');
export const options = s.options;
export const setup = s.setup;
export const teardown = s.teardown;
export const query = s.query;
export const id = s.id;
export const ref = s.ref;
export const post_businesses = s.post_businesses;
export const post_parties = s.post_parties;
export const patch_parties = s.patch_parties;
export const put_link = s.put_link;
export const handleSummary = s.handleSummary;
