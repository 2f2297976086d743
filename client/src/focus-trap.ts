/** What Tab can reach: enabled controls, links and anything given a tab stop. */
const TABBABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

/**
 * Keyboard focus for a drawer or dialog while it is open (WAI-ARIA dialog pattern): focus moves into it, Tab and
 * Shift+Tab cycle through its controls only, Escape closes it, and closing gives focus back to the control that
 * opened it. Its keys are read on the window in the capture phase, ahead of what is inside (a terminal would
 * take Tab and Escape for itself); the listener exists only while the trap is active.
 */
export class FocusTrap {
  private opener: HTMLElement | null = null;
  private active = false;

  constructor(
    private readonly container: HTMLElement,
    private readonly onEscape: () => void,
  ) {}

  /** Remembers the focused control (the opener) and starts keeping the keyboard inside. */
  activate(): void {
    if (this.active) return;
    this.active = true;
    const focused = document.activeElement;
    this.opener = focused instanceof HTMLElement && focused !== document.body ? focused : null;
    window.addEventListener('keydown', this.onKey, true);
  }

  /** Focuses `preferred` if it is inside, else the first control (call after the content is drawn). */
  focusInside(preferred?: HTMLElement | null): void {
    const target = preferred && this.container.contains(preferred) ? preferred : this.tabbables()[0];
    target?.focus();
  }

  /** Stops trapping and gives focus back to the opener if it is still on the page (unless another content follows). */
  deactivate(restoreFocus = true): void {
    if (!this.active) return;
    this.active = false;
    window.removeEventListener('keydown', this.onKey, true);
    const opener = this.opener;
    this.opener = null;
    if (restoreFocus && opener?.isConnected) opener.focus();
  }

  private tabbables(): HTMLElement[] {
    return [...this.container.querySelectorAll<HTMLElement>(TABBABLE)].filter((el) => !el.closest('[hidden]') && el.getClientRects().length > 0);
  }

  private readonly onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      this.onEscape();
      return;
    }
    if (event.key !== 'Tab') return;
    const stops = this.tabbables();
    event.preventDefault();
    event.stopPropagation();
    if (!stops.length) return;
    const focused = document.activeElement;
    // The control holding focus, or the one that contains it (a terminal's hidden textarea is inside its pane).
    const at = stops.findIndex((el) => el === focused || (focused instanceof Node && el.contains(focused)));
    const next = at < 0 ? (event.shiftKey ? stops.length - 1 : 0) : (at + (event.shiftKey ? -1 : 1) + stops.length) % stops.length;
    stops[next].focus();
  };
}
