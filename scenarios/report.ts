// The report's methodology: k6 run dist/report.js (PROFILE=quick|stress|... picks another matrix)
import { suite } from '../lib/k6/suite.ts';

// k6 reads these exports: options, the lifecycle functions and one exec function per route.
export const { options, setup, query, id, ref, handleSummary } = suite('report');
