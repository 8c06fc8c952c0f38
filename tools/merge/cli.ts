// npm run merge -- <results folder or summary.json>... : see args.ts.
import { run } from './run.ts';

process.exitCode = await run(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
});
