import type { Attachment } from 'svelte/attachments';

/**
 * For a `<select bind:value={x}>`: keeps an option someone chose before the page's JavaScript had
 * loaded. On hydration Svelte (5.57) selects the bound value again, unlike a bound input, which
 * keeps what was typed; this attachment runs first and hands the chosen value to `choose` (which
 * sets `x`), so the binding then selects that.
 *
 * Only a server-rendered select that someone changed has an option chosen other than the one
 * the server marked `selected` (or the first); a select the browser renders itself has no
 * `selected` attributes and its first option chosen until the binding runs, so it is left alone.
 */
export function keepChosen(choose: (value: string) => void): Attachment<HTMLSelectElement> {
  return (select) => {
    const rendered = select.querySelector<HTMLOptionElement>('option[selected]') ?? select.options[0];
    const chosen = select.selectedOptions[0];
    if (chosen && chosen !== rendered) choose(chosen.value);
  };
}
