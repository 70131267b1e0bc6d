/** Tables of the staff pages that poll: a header row, and rows kept from one poll to the next. */

/** A table's header row with these (translated) column labels. */
export function headRow(doc: Document, labels: readonly string[]): HTMLTableRowElement {
  const row = doc.createElement('tr');
  for (const label of labels) {
    const cell = doc.createElement('th');
    cell.scope = 'col';
    cell.textContent = label;
    row.append(cell);
  }
  return row;
}

/** How the rows of one table are made, updated and dropped. */
export interface RowKeeping<Item, Row extends { root: HTMLTableRowElement }> {
  keyOf(item: Item): string;
  create(item: Item): Row;
  update(row: Row, item: Item): void;
  /** Called before a row whose item is gone leaves the table. */
  dropped(key: string, row: Row): void;
}

/**
 * Shows `items` in `body` in their order, keeping each item's row (by key) across calls: a
 * control the user is about to use is neither rebuilt nor, unless out of place, moved, since
 * moving a row takes the focus from its controls.
 */
export function keepRows<Item, Row extends { root: HTMLTableRowElement }>(
  body: HTMLTableSectionElement,
  rows: Map<string, Row>,
  items: readonly Item[],
  keeping: RowKeeping<Item, Row>,
): void {
  const wanted = new Set(items.map((item) => keeping.keyOf(item)));
  for (const [key, row] of rows) {
    if (wanted.has(key)) continue;
    keeping.dropped(key, row);
    row.root.remove();
    rows.delete(key);
  }
  items.forEach((item, index) => {
    const key = keeping.keyOf(item);
    let row = rows.get(key);
    if (!row) {
      row = keeping.create(item);
      rows.set(key, row);
    }
    if (body.rows[index] !== row.root) body.insertBefore(row.root, body.rows[index] ?? null);
    keeping.update(row, item);
  });
}
