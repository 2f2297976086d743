import { ApiError } from '../api.js';
import { copyText } from '../clipboard.js';
import { button, h } from '../dom.js';
import type { RunResult } from './types.js';

export interface BlockActions {
  /** Runs block `block` of the step: the page sends only the reference, the server looks the command up. */
  run(block: number): Promise<RunResult>;
  /** Called when the server says where the block runs, so the page can show that node's terminal. */
  showNode(node: string): void;
}

/**
 * Gives each runnable block in rendered lesson HTML (`div.code-block[data-block][data-node]`,
 * server/lessons/render.ts) a Run and a Copy button; other code blocks get Copy only.
 */
export function enhanceCodeBlocks(root: HTMLElement, actions: BlockActions | null): void {
  for (const pre of root.querySelectorAll<HTMLPreElement>('pre')) {
    const block = pre.closest<HTMLElement>('div.code-block');
    const code = pre.querySelector('code')?.textContent ?? pre.textContent ?? '';
    const copy = button(h('span', {}, 'Copy'), () => {
      void copyText(code.replace(/\n$/, ''));
      copy.firstElementChild!.textContent = 'Copied';
      copy.classList.add('done');
      window.setTimeout(() => {
        copy.firstElementChild!.textContent = 'Copy';
        copy.classList.remove('done');
      }, 1500);
    }, { class: 'button block-button copy', title: 'Copy to the clipboard (paste in a terminal with Ctrl+Shift+V)' });

    if (!block || !actions || block.dataset.block === undefined) {
      const bar = h('div', { class: 'code-toolbar floating' }, copy);
      (block ?? pre).classList.add('has-toolbar');
      if (block) block.prepend(bar);
      else {
        const wrap = h('div', { class: 'code-block plain has-toolbar' });
        pre.replaceWith(wrap);
        wrap.append(bar, pre);
      }
      continue;
    }

    const index = Number(block.dataset.block);
    const node = block.dataset.node ?? '';
    const file = block.dataset.file;
    const caption = block.querySelector<HTMLElement>('.code-block-node');
    const output = h('div', { class: 'run-output', hidden: '' });
    const run = button([h('span', { class: 'play', 'aria-hidden': 'true' }, '▶'), h('span', {}, file ? 'Write file' : 'Run')], () => void doRun(), {
      class: 'button block-button run',
      title: file ? `Write this file on ${node}` : `Run on ${node} (typed into its terminal)`,
      'data-run': String(index),
    });
    const label = h('span', { class: 'code-node' }, h('span', { class: 'code-node-icon', 'aria-hidden': 'true' }, file ? '📄' : '›_'), file ? `${node}: ${file}` : node);
    const toolbar = h('div', { class: 'code-toolbar' }, label, h('span', { class: 'spacer' }), copy, run);
    caption?.remove();
    block.prepend(toolbar);
    block.append(output);

    async function doRun(): Promise<void> {
      run.disabled = true;
      run.classList.remove('done', 'failed');
      run.lastElementChild!.textContent = 'Running…';
      output.hidden = true;
      actions!.showNode(node);
      try {
        const result = await actions!.run(index);
        actions!.showNode(result.node);
        if (result.mode === 'exec') {
          const ok = result.exitCode === 0;
          output.className = `run-output ${ok ? 'ok' : 'bad'}`;
          output.replaceChildren(
            h('div', { class: 'run-output-head' }, file ? (ok ? `Wrote ${file} on ${result.node}` : `Could not write ${file}`) : `Ran on ${result.node} · exit ${result.exitCode}`),
            ...(result.output.trim() ? [h('pre', {}, result.output.replace(/\s+$/, ''))] : []),
          );
          output.hidden = false;
          run.classList.add(ok ? 'done' : 'failed');
          run.lastElementChild!.textContent = ok ? (file ? 'Written' : 'Done') : 'Failed';
        } else {
          run.classList.add('done');
          run.lastElementChild!.textContent = `Sent to ${result.node}`;
        }
      } catch (error) {
        const notReady = error instanceof ApiError && error.code === 'not_ready';
        output.className = `run-output ${notReady ? 'warn' : 'bad'}`;
        output.replaceChildren(h('div', { class: 'run-output-head' }, notReady ? `Not yet: ${(error as Error).message}` : `Could not run: ${(error as Error).message}`));
        output.hidden = false;
        run.classList.add('failed');
        run.lastElementChild!.textContent = file ? 'Write file' : 'Run';
      } finally {
        run.disabled = false;
        window.setTimeout(() => {
          if (!run.disabled && run.classList.contains('done')) {
            run.classList.remove('done');
            run.lastElementChild!.textContent = file ? 'Write again' : 'Run again';
          }
        }, 2500);
      }
    }
  }
}
