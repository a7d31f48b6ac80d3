// The deployable bundle, exactly as `wrangler deploy` would upload it (no account needed),
// and its size: start-up time on Workers grows with it.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';

const wranglerBin = join(dirname(createRequire(import.meta.url).resolve('wrangler/package.json')), 'bin/wrangler.js');

/** Runs `wrangler deploy --dry-run --outdir <outdir>` and measures what it wrote. */
export function bundleWorker(outdir, extraArgs = []) {
  const run = spawnSync(process.execPath, [wranglerBin, 'deploy', '--dry-run', '--outdir', outdir, ...extraArgs], {
    encoding: 'utf8',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', FORCE_COLOR: '0' },
  });
  if (run.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${run.stdout}\n${run.stderr}`);
  const modules = readdirSync(outdir).filter((f) => !f.endsWith('.map') && f !== 'README.md');
  const rawBytes = modules.reduce((sum, f) => sum + statSync(join(outdir, f)).size, 0);
  const gzipBytes = modules.reduce((sum, f) => sum + gzipSync(readFileSync(join(outdir, f))).byteLength, 0);
  // Wrangler's own figure is the one Cloudflare's size limits are stated in.
  const reported = /Total Upload:\s*([\d.]+)\s*KiB\s*\/\s*gzip:\s*([\d.]+)\s*KiB/.exec(run.stdout);
  return {
    dir: outdir,
    mainModule: modules.find((f) => f === 'index.js') ?? modules[0],
    modules,
    rawBytes,
    gzipBytes,
    wrangler: reported ? { uploadKiB: Number(reported[1]), gzipKiB: Number(reported[2]) } : null,
  };
}
