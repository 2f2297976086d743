/** Copy and paste for terminals: the system clipboard when the page may use it, else the last text copied here. */
let lastCopied = '';

export async function copyText(text: string): Promise<void> {
  if (!text) return;
  lastCopied = text;
  try {
    await navigator.clipboard?.writeText(text);
  } catch {
    // no permission or not a secure context: the in-page copy still serves Ctrl+Shift+V
  }
}

export async function readClipboard(): Promise<string> {
  try {
    const text = await navigator.clipboard?.readText();
    if (text) return text;
  } catch {
    // fall back to what was copied in this page
  }
  return lastCopied;
}
