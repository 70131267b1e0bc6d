/**
 * The branch picker of the staff pages that work per branch (supervisor, fleet): the branch's
 * name when the account covers one branch, a select when it covers several.
 */
import type { TestIdFinder } from '@bilik/shared/client';

export interface BranchPicker {
  /** Shows the account's branches with `selected` chosen. */
  show(branchIds: readonly string[], selected: string): void;
}

/** Binds the `branch`, `branch-select` and `branch-name` elements; `onSelect` hears the officer's choice. */
export function createBranchPicker(find: TestIdFinder, onSelect: (branchId: string) => void): BranchPicker {
  const branch = find<HTMLElement>('branch');
  const branchSelect = find<HTMLSelectElement>('branch-select');
  const branchName = find<HTMLElement>('branch-name');
  branchSelect.addEventListener('change', () => onSelect(branchSelect.value));
  return {
    show(branchIds, selected) {
      branch.hidden = false;
      const several = branchIds.length > 1;
      branchSelect.hidden = !several;
      branchName.hidden = several;
      branchName.textContent = selected;
      branchSelect.replaceChildren(...branchIds.map((id) => new Option(id, id, false, id === selected)));
    },
  };
}
