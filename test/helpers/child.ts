// A TypeScript tool of the repository in a child process, asynchronously (the
// test's own event loop may be serving a target the tool talks to), killed
// if it runs past `timeoutMs`.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repo } from './k6.ts';

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runTool(script: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repo, script), ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
