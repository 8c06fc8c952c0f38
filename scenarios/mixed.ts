// k6 run dist/mixed.js  (profile 'mixed': the reads and, at the profile's writeRatio, the writes side by side, as the service sees production)
import { writesSuite } from '../lib/k6/writes.ts';

const s = writesSuite('mixed');
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
