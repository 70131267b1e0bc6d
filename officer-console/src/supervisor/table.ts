import { t, type TextKey } from './strings.js';

/** A table's header row with these columns. */
export function headRow(doc: Document, columns: readonly TextKey[]): HTMLTableRowElement {
  const row = doc.createElement('tr');
  for (const column of columns) {
    const cell = doc.createElement('th');
    cell.scope = 'col';
    cell.textContent = t(column);
    row.append(cell);
  }
  return row;
}
