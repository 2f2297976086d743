import { TERMINAL_CLOSE } from '../../shared/protocol.js';
import { KeystrokePriority } from './keystroke-priority.js';
import { DEFAULT_TERMINAL_OPTIONS, Terminal, type SpawnTerminal, type TerminalOptions } from './terminal.js';

export const SESSION_ENDED_CLOSE_CODE = TERMINAL_CLOSE.sessionEnded;
/** Longest a flood is held for one keystroke whose echo does not come (a password, a key that prints nothing). */
export const KEYSTROKE_HOLD_MS = 15;

/**
 * All terminals of the server, one per session node, created on first use.
 * Instructors' read-only views attach here too (`readonly: true` drops input).
 */
export class TerminalHub {
  private readonly terminals = new Map<string, Terminal>();

  /** Floods yield to keystrokes across all the server's terminals (server/terminals/keystroke-priority.ts). */
  readonly priority: KeystrokePriority;

  constructor(
    private readonly options: TerminalOptions = DEFAULT_TERMINAL_OPTIONS,
    holdMs = KEYSTROKE_HOLD_MS,
  ) {
    this.priority = new KeystrokePriority({ holdMs });
  }

  /** The terminal of a node, created (not yet started) when there is none. */
  terminal(sessionId: string, node: string, spawn: SpawnTerminal, sessionAlive?: () => boolean): Terminal {
    const key = `${sessionId}/${node}`;
    let terminal = this.terminals.get(key);
    if (!terminal) {
      terminal = new Terminal(spawn, this.options, sessionAlive, this.priority);
      this.terminals.set(key, terminal);
    }
    return terminal;
  }

  get(sessionId: string, node: string): Terminal | undefined {
    return this.terminals.get(`${sessionId}/${node}`);
  }

  /** Types text into a node's open terminal (its shell must be running); false when there is none. */
  type(sessionId: string, node: string, text: string): boolean {
    return this.terminals.get(`${sessionId}/${node}`)?.typeText(text) ?? false;
  }

  /** Closes a session's terminals (its shells and sockets). */
  closeSession(sessionId: string, reason = 'session ended'): void {
    for (const [key, terminal] of this.terminals) {
      if (key.startsWith(`${sessionId}/`)) {
        terminal.close(SESSION_ENDED_CLOSE_CODE, reason);
        this.terminals.delete(key);
      }
    }
  }

  closeAll(code = 1001, reason = 'server stopping'): void {
    for (const terminal of this.terminals.values()) terminal.close(code, reason);
    this.terminals.clear();
  }

  get size(): number {
    return this.terminals.size;
  }
}
