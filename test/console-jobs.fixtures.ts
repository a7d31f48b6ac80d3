import { env } from 'cloudflare:workers';
import { signedIn } from './admin.fixtures';
import { ConsoleBrowser } from './console.fixtures';

/** A staff member of `role`, signed in to the console. */
export async function staffBrowser(role: 'admin' | 'manager' = 'admin') {
  const staff = await signedIn(role);
  const browser = new ConsoleBrowser();
  await browser.signIn(staff.email, staff.password);
  return { staff, browser };
}

export async function userRow(id: string) {
  return env.DB.prepare('SELECT email, username, username_key, phone_number, email_verified, is_active, updated_at FROM users WHERE id = ?').bind(id).first<Record<string, any>>();
}

export async function countUsersWithEmail(email: string): Promise<number> {
  return (await env.DB.prepare('SELECT count(*) AS n FROM users WHERE email = ?').bind(email).first<{ n: number }>())!.n;
}

export const uniqueTag = () => `cj${crypto.randomUUID().slice(0, 8)}`;
