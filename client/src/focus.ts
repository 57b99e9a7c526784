// Where keyboard focus goes after an action removes or hides the control that had it (Book,
// Cancel, Check in): never the page body, where a keyboard or screen-reader user would start over.

const FOCUSABLE = 'button:not([disabled]), a[href], input:not([disabled]), select:not([disabled]), textarea:not([disabled])';

/**
 * Call before the action with the list item that holds the pressed control. Returns what to call
 * once the action is done: if focus was lost (on the body, or on an element no longer in the page),
 * it moves to the first control of the next item, else of the previous one, else to `fallback`
 * (a heading with tabIndex -1, say). Focus the user moved elsewhere meanwhile is left alone.
 */
export function keepFocusNear(item: Element | null, fallback: () => HTMLElement | null): () => void {
  const sibling = (start: Element | null | undefined, step: (element: Element) => Element | null): HTMLElement | null => {
    for (let current = start; current; current = step(current)) {
      const control = current.querySelector<HTMLElement>(FOCUSABLE);
      if (control) return control;
    }
    return null;
  };
  const candidates = [
    sibling(item?.nextElementSibling, (element) => element.nextElementSibling),
    sibling(item?.previousElementSibling, (element) => element.previousElementSibling),
  ];
  return () => {
    // After React has rendered the outcome (the item gone, its buttons replaced).
    requestAnimationFrame(() => {
      const active = document.activeElement;
      if (active && active !== document.body && active.isConnected) return;
      const target = candidates.find((candidate) => candidate?.isConnected) ?? fallback();
      target?.focus();
    });
  };
}
