// The report's methodology: k6 run dist/report.js (PROFILE=quick|stress|... picks another matrix)
import { suite } from '../lib/k6/suite.ts';

const s = suite('report');
export const options = s.options;
export const setup = s.setup;
export const query = s.query;
export const id = s.id;
export const ref = s.ref;
export const handleSummary = s.handleSummary;
