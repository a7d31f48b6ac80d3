/**
 * The last send error of a job, kept for the dead-letter consumer: a dead-lettered
 * message carries only its body, and mail_failures should say why it failed.
 */
export interface LastError {
  error: string;
  attempts: number;
}

const PREFIX = 'mailerr:';
const TTL_SECONDS = 24 * 3600;

export async function rememberLastError(kv: KVNamespace, jobId: string, last: LastError): Promise<void> {
  await kv.put(PREFIX + jobId, JSON.stringify(last), { expirationTtl: TTL_SECONDS });
}

export async function readLastError(kv: KVNamespace, jobId: string): Promise<LastError | null> {
  return kv.get<LastError>(PREFIX + jobId, 'json');
}
