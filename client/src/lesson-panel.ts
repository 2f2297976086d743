/**
 * The right-hand lesson panel's mount point. The workspace calls
 * `mountLessonPanel` once a session is open, with the element `#lesson-panel`
 * and a context; it returns a function that unmounts the panel (called when
 * the session ends). Lessons replace the body of `mountLessonPanel`.
 */
export interface WorkspaceContext {
  sessionId: string;
  token: string;
  /** Lesson id the session was started for, if any. */
  lesson?: string;
  nodes(): string[];
  selectedNode(): string;
  selectNode(name: string): void;
  /** Types text into a node's terminal as if the learner had (the server still decides what runs). */
  typeInto(node: string, text: string): void;
  /** Calls back whenever the selected node changes; returns an unsubscribe function. */
  onNodeSelected(listener: (name: string) => void): () => void;
}

export function mountLessonPanel(el: HTMLElement, ctx: WorkspaceContext): () => void {
  el.innerHTML = '';
  const wrap = document.createElement('div');
  wrap.className = 'lesson-placeholder';
  const title = document.createElement('h2');
  title.textContent = ctx.lesson ? `Lesson: ${ctx.lesson}` : 'Lessons';
  const text = document.createElement('p');
  const code = document.createElement('code');
  code.textContent = 'docker swarm init --advertise-addr eth0';
  text.append('Lesson steps, hints and checks appear here. Meanwhile, your nodes are ready in the terminals on the left: try ', code, ' on node1.');
  wrap.append(title, text);
  el.append(wrap);
  return () => {
    el.innerHTML = '';
  };
}
