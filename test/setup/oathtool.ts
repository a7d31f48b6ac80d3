import { createServer, type Server } from 'node:http';
import { execFile } from 'node:child_process';
import type { TestProject } from 'vitest/node';

/**
 * An independent TOTP implementation for the MFA tests: Debian's `oathtool` (OATH
 * Toolkit), run here in Node because the Workers pool cannot spawn processes. Tests
 * fetch `GET <oathtoolUrl>/totp?secret=<base32>&time=<unix seconds>[&digits=8]` and get
 * oathtool's code; when oathtool is missing every answer is a 503 saying so, which
 * fails the MFA tests only (`.ci/run` installs it).
 */
declare module 'vitest' {
  export interface ProvidedContext {
    oathtoolUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const secret = url.searchParams.get('secret') ?? '';
    const time = url.searchParams.get('time') ?? '';
    const digits = url.searchParams.get('digits') ?? '6';
    if (url.pathname !== '/totp' || !/^[A-Z2-7=]+$/i.test(secret) || !/^\d+$/.test(time) || !/^[678]$/.test(digits)) {
      res.writeHead(400).end('usage: /totp?secret=BASE32&time=UNIX_SECONDS[&digits=6|7|8]');
      return;
    }
    execFile('oathtool', ['--totp', '--base32', `--digits=${digits}`, `--now=@${time}`, secret], (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        res.writeHead(503).end('oathtool is not installed: apt-get install oathtool (.ci/run does it)');
      } else if (err) {
        res.writeHead(500).end(`oathtool failed: ${stderr || err.message}`);
      } else {
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end(stdout.trim());
      }
    });
  });
  await listen(server);
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('oathtool helper has no port');
  project.provide('oathtoolUrl', `http://127.0.0.1:${address.port}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
}
