/** The element with this id, typed; throws when the page lacks it (a broken page, not bad input). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

/** A new element with text and attributes. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  attributes: Record<string, string> = {},
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (text !== undefined) element.textContent = text;
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

/** Shows a message in a panel's message line (an error unless `kind` says otherwise). */
export function showMessage(target: HTMLElement, text: string, kind: 'error' | 'notice' = 'error'): void {
  target.textContent = text;
  target.dataset.kind = kind;
  target.hidden = false;
}

/** Hides a panel's message line. */
export function clearMessage(target: HTMLElement): void {
  target.textContent = '';
  target.hidden = true;
}

/** The message a thrown value carries, with the error's code when it has one. */
export function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
