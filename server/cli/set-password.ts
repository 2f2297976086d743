import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { InstructorAuth } from '../classroom/instructor-auth.js';
import { loadConfigFromEnvironment } from '../config.js';
import { openDatabase } from '../store/database.js';

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').split('\n')[0];
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  // Hide what is typed: readline echoes through _writeToOutput.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (text: string) => {
    if (text.includes('password')) process.stdout.write(text);
  };
  const password = await rl.question('New instructor password: ');
  rl.close();
  process.stdout.write('\n');
  return password;
}

export async function setPasswordCommand(): Promise<void> {
  const config = loadConfigFromEnvironment();
  const db = openDatabase(join(config.dataDir, 'workshop.db'));
  try {
    await new InstructorAuth(db).setPassword(await readPassword());
    console.log(`instructor password set (stored as a scrypt hash in ${join(config.dataDir, 'workshop.db')}); earlier logins are signed out`);
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    process.exitCode = 1;
  } finally {
    db.close();
  }
}
