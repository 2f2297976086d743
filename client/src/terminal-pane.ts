import { FitAddon } from '@xterm/addon-fit';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal } from '@xterm/xterm';
import { copyText, readClipboard } from './clipboard.js';
import { screenReaderStore } from './storage.js';
import { TerminalConnection, type ConnectionState } from './terminal-connection.js';

const FLOW_HIGH = 512 * 1024;
const FLOW_LOW = 64 * 1024;

export interface PaneOptions {
  url: (query: { since: number; epoch?: string; cols: number; rows: number }) => string;
  sessionGone: () => Promise<boolean>;
  onState: (state: ConnectionState) => void;
  /** A watcher's view (the instructor's): keys are not sent, the cursor does not blink. */
  readonly?: boolean;
}

/** One node's terminal: xterm.js, fitted to its box, wired to a reconnecting websocket. */
export class TerminalPane {
  readonly element: HTMLDivElement;
  readonly term: Terminal;
  private readonly fit = new FitAddon();
  private readonly connection: TerminalConnection;
  private readonly observer: ResizeObserver;
  state: ConnectionState = 'connecting';

  constructor(
    readonly node: string,
    options: PaneOptions,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'terminal-pane';
    this.element.dataset.node = node;
    this.term = new Terminal({
      fontFamily: '"JetBrains Mono", "DejaVu Sans Mono", "Ubuntu Mono", Menlo, Consolas, monospace',
      fontSize: 14,
      lineHeight: 1.15,
      cursorBlink: !options.readonly,
      disableStdin: options.readonly ?? false,
      scrollback: 5000,
      allowProposedApi: false,
      // The person's choice (the workspace's switch): xterm.js keeps an accessible copy of the rows and announces output.
      screenReaderMode: screenReaderStore.load() ?? false,
      theme: { background: '#0b0e14', foreground: '#d6dde6', cursor: '#7aa2f7', selectionBackground: '#2d4f7c' },
    });
    this.term.loadAddon(this.fit);
    this.term.loadAddon(new WebLinksAddon());
    this.connection = new TerminalConnection({
      url: options.url,
      size: () => ({ cols: this.term.cols, rows: this.term.rows }),
      onData: (data) => this.write(data),
      onReset: () => this.term.reset(),
      onState: (state) => {
        this.state = state;
        options.onState(state);
      },
      sessionGone: options.sessionGone,
      held: () => this.held,
    });
    this.term.onData((data) => {
      if (!options.readonly) this.connection.send(data);
    });
    this.term.onResize(({ cols, rows }) => this.connection.resize(cols, rows));
    this.term.onSelectionChange(() => {
      const selection = this.term.getSelection();
      if (selection) void copyText(selection);
    });
    this.term.attachCustomKeyEventHandler((event) => {
      if (event.type !== 'keydown' || !event.ctrlKey || !event.shiftKey) return true;
      const key = event.key.toLowerCase();
      if (key === 'c') {
        event.preventDefault();
        void copyText(this.term.getSelection());
        return false;
      }
      if (key === 'v') {
        event.preventDefault();
        void readClipboard().then((text) => text && this.term.paste(text));
        return false;
      }
      return true;
    });
    this.observer = new ResizeObserver(() => this.refit());
  }

  /** Bytes handed to xterm.js and not yet parsed; above the high mark the server is asked to hold output. */
  private pending = 0;
  private held = false;

  private write(data: Uint8Array): void {
    this.pending += data.length;
    if (!this.held && this.pending > FLOW_HIGH) {
      this.held = true;
      this.connection.flow(true);
    }
    this.term.write(data, () => {
      this.pending -= data.length;
      if (this.held && this.pending < FLOW_LOW) {
        this.held = false;
        this.connection.flow(false);
      }
    });
  }

  /** Opens the terminal in its element (which must be in the document) and connects. */
  open(): void {
    this.term.open(this.element);
    this.observer.observe(this.element);
    this.refit();
    this.connection.start();
  }

  refit(): void {
    if (this.element.offsetWidth > 0 && this.element.offsetHeight > 0) this.fit.fit();
  }

  focus(): void {
    this.term.focus();
  }

  /** Switches xterm.js's screen-reader mode on an open terminal. */
  setScreenReaderMode(on: boolean): void {
    this.term.options.screenReaderMode = on;
  }

  type(text: string): void {
    this.connection.send(text);
  }

  /** The visible screen and scrollback as text (for tests and the lesson panel). */
  text(): string {
    const buffer = this.term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? '');
    return lines.join('\n').replace(/\n+$/, '');
  }

  /** Selects the first text matching the pattern (across wrapped rows); returns the selected text. */
  selectMatch(pattern: RegExp): string {
    const buffer = this.term.buffer.active;
    const cols = this.term.cols;
    for (let row = 0; row < buffer.length; ) {
      let text = buffer.getLine(row)?.translateToString(false) ?? '';
      let end = row + 1;
      while (end < buffer.length && buffer.getLine(end)?.isWrapped) text += buffer.getLine(end++)?.translateToString(false) ?? '';
      const match = pattern.exec(text);
      if (match) {
        this.term.select(match.index % cols, row + Math.floor(match.index / cols), match[0].length);
        return this.term.getSelection();
      }
      row = end;
    }
    return '';
  }

  dispose(): void {
    this.observer.disconnect();
    this.connection.stop();
    this.term.dispose();
    this.element.remove();
  }
}
