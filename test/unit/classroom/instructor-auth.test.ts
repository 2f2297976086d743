import { describe, expect, it } from 'vitest';
import { InstructorAuth, MIN_PASSWORD_LENGTH } from '../../../server/classroom/instructor-auth.js';
import { openDatabase } from '../../../server/store/database.js';

function setup() {
  let now = 1_000_000;
  const db = openDatabase(':memory:');
  return { db, auth: new InstructorAuth(db, () => now), advance: (ms: number) => (now += ms) };
}

describe('InstructorAuth', () => {
  it('has no password until one is set, and then logs in only with it', async () => {
    const { auth } = setup();
    expect(auth.isConfigured()).toBe(false);
    expect(await auth.login('anything at all')).toBeNull();
    await auth.setPassword('correct horse battery');
    expect(auth.isConfigured()).toBe(true);
    expect(await auth.login('wrong horse battery')).toBeNull();
    const token = await auth.login('correct horse battery');
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(auth.verify(token!)).toBe(true);
    expect(auth.verify('not-a-token')).toBe(false);
    expect(auth.verify(undefined)).toBe(false);
  });

  it('refuses a password shorter than the minimum', async () => {
    const { auth } = setup();
    await expect(auth.setPassword('x'.repeat(MIN_PASSWORD_LENGTH - 1))).rejects.toThrow(`at least ${MIN_PASSWORD_LENGTH} characters`);
    expect(auth.isConfigured()).toBe(false);
  });

  it('keeps only a digest of a login token, and the password only as a scrypt hash', async () => {
    const { auth, db } = setup();
    await auth.setPassword('correct horse battery');
    const token = (await auth.login('correct horse battery'))!;
    const stored = JSON.stringify([db.prepare('SELECT * FROM instructor').all(), db.prepare('SELECT * FROM instructor_tokens').all()]);
    expect(stored).not.toContain(token);
    expect(stored).not.toContain('correct horse battery');
    expect(stored).toContain('scrypt$');
  });

  it('ends a login after twelve hours, at logout, and for everybody when the password changes', async () => {
    const { auth, advance } = setup();
    await auth.setPassword('correct horse battery');
    const expiring = (await auth.login('correct horse battery'))!;
    advance(12 * 3600_000 - 1);
    expect(auth.verify(expiring)).toBe(true);
    advance(1);
    expect(auth.verify(expiring)).toBe(false);
    const leaving = (await auth.login('correct horse battery'))!;
    auth.logout(leaving);
    expect(auth.verify(leaving)).toBe(false);
    const staying = (await auth.login('correct horse battery'))!;
    await auth.setPassword('another long password');
    expect(auth.verify(staying)).toBe(false);
    expect(await auth.login('another long password')).not.toBeNull();
  });

  it('takes a password from the environment at start-up without logging anybody out when it is unchanged', async () => {
    const { auth } = setup();
    await auth.ensurePassword('from the environment');
    const token = (await auth.login('from the environment'))!;
    await auth.ensurePassword('from the environment');
    expect(auth.verify(token)).toBe(true);
    await auth.ensurePassword('a new one from the environment');
    expect(auth.verify(token)).toBe(false);
    expect(await auth.login('a new one from the environment')).not.toBeNull();
  });
});
