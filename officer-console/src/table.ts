/** The header row of the staff pages' tables. */
import { element } from '@bilik/shared/client';

/** A table's header row with these (translated) column labels. */
export function headRow(doc: Document, labels: readonly string[]): HTMLTableRowElement {
  return element(doc, 'tr', {}, ...labels.map((label) => element(doc, 'th', { text: label, attributes: { scope: 'col' } })));
}
