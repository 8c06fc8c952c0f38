// k6 run dist/single-route.js  (profile 'single-route'; env variables override it: see README)
import { suite } from '../lib/k6/suite.ts';

const s = suite('single-route');
export const options = s.options;
export const setup = s.setup;
export const query = s.query;
export const id = s.id;
export const ref = s.ref;
export const handleSummary = s.handleSummary;
