import type { Db } from '../store/database.js';
import { newToken, tokenDigest } from '../ids.js';
import { hashPassword, verifyPassword } from './password.js';

export const MIN_PASSWORD_LENGTH = 10;
const LOGIN_HOURS = 12;

/**
 * The instructor's credential: set at install (`workshop set-password` or WORKSHOP_INSTRUCTOR_PASSWORD),
 * changeable, never a default. A login yields a random token kept only as a digest.
 */
export class InstructorAuth {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  isConfigured(): boolean {
    return this.db.prepare('SELECT 1 FROM instructor WHERE id = 1').get() !== undefined;
  }

  async setPassword(password: string): Promise<void> {
    if (password.length < MIN_PASSWORD_LENGTH) throw new Error(`the instructor password needs at least ${MIN_PASSWORD_LENGTH} characters`);
    const hash = await hashPassword(password);
    this.db
      .prepare('INSERT INTO instructor (id, password_hash, updated_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at')
      .run(hash, this.now());
    // A new password logs everybody out.
    this.db.prepare('DELETE FROM instructor_tokens').run();
  }

  /** Sets the password only if it differs from the stored one (start-up from the environment). */
  async ensurePassword(password: string): Promise<void> {
    const row = this.db.prepare('SELECT password_hash FROM instructor WHERE id = 1').get() as { password_hash: string } | undefined;
    if (row && (await verifyPassword(password, row.password_hash))) return;
    await this.setPassword(password);
  }

  async login(password: string): Promise<string | null> {
    const row = this.db.prepare('SELECT password_hash FROM instructor WHERE id = 1').get() as { password_hash: string } | undefined;
    if (!row || !(await verifyPassword(password, row.password_hash))) return null;
    const { token, digest } = newToken();
    this.db.prepare('DELETE FROM instructor_tokens WHERE expires_at < ?').run(this.now());
    this.db.prepare('INSERT INTO instructor_tokens (digest, expires_at) VALUES (?, ?)').run(digest, this.now() + LOGIN_HOURS * 3600_000);
    return token;
  }

  verify(token: string | undefined): boolean {
    if (!token) return false;
    const row = this.db.prepare('SELECT expires_at FROM instructor_tokens WHERE digest = ?').get(tokenDigest(token)) as { expires_at: number } | undefined;
    return row !== undefined && row.expires_at > this.now();
  }

  logout(token: string): void {
    this.db.prepare('DELETE FROM instructor_tokens WHERE digest = ?').run(tokenDigest(token));
  }
}
