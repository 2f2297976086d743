/** The page's fixed mount points (ids in the HTML skeletons); everything inside them is rendered with lit-html. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}
