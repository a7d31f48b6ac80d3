import { afterAll } from 'vitest';

// Queue consumers and waitUntil work can still log after a file's last test (a mail's
// "mail sent", a job's line). A line that reaches vitest's console RPC while the file is
// torn down fails the whole run ("Closing rpc while onUserConsoleLog was pending", seen
// once on a slow CI machine). Nothing asserts on logs after the last test (tests that read
// logs spy on console themselves), so from then on they are dropped. Registered first, so
// it runs after the file's own afterAll hooks (after hooks run in reverse order).
afterAll(() => {
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) console[level] = () => {};
});
