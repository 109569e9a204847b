/**
 * Form values that inputs bind to (`bind:value={fields[name]}`), made afresh from `values`: use it
 * inside `$derived(...)`, so a new form result or new data starts the fields over. Bound, not just
 * set: what was typed before the page finished loading survives hydration (see hydration.ts).
 * A record of state, because a loop or snippet cannot declare a writable `$derived` per field.
 */
export function editableFields<T extends object>(values: T): T {
  const fields = $state({ ...values });
  return fields;
}
