import type { StaffRole } from './permissions';

/** The admin or manager behind a request, read afresh from D1 and the session's Durable Object. */
export interface Staff {
  id: string;
  email: string | null;
  role: StaffRole;
  sessionId: string;
}
