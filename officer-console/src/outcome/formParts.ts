/** The controls the checklist panel's form is made of: boxes, titled groups and note fields. */
import { element } from '@bilik/shared/client';
import { MAX_NOTE_LENGTH, type DocumentKind } from '@bilik/shared/outcome';
import { t, type TextKey } from '../strings.js';

/** A labelled checkbox that reports every change. */
export function checkbox(
  doc: Document,
  testId: string,
  label: string,
  checked: boolean,
  onChange: (checked: boolean) => void,
): HTMLLabelElement {
  const box = element(doc, 'input', { testId });
  box.type = 'checkbox';
  box.checked = checked;
  box.addEventListener('change', () => onChange(box.checked));
  return element(doc, 'label', { className: 'outcome-check' }, box, element(doc, 'span', { text: label }));
}

/** A titled group of the form. */
export function section(doc: Document, legend: TextKey, ...children: HTMLElement[]): HTMLFieldSetElement {
  return element(
    doc,
    'fieldset',
    { className: 'outcome-section' },
    element(doc, 'legend', { className: 'outcome-legend', text: t(legend) }),
    ...children,
  );
}

/** A labelled note of up to MAX_NOTE_LENGTH characters that reports every keystroke. */
export function textField(doc: Document, testId: string, label: TextKey, value: string, onInput: (value: string) => void): HTMLElement {
  const input = element(doc, 'textarea', { className: 'outcome-text', testId });
  input.id = `outcome-${testId}`;
  input.rows = 2;
  input.maxLength = MAX_NOTE_LENGTH;
  input.value = value;
  input.addEventListener('input', () => onInput(input.value));
  const labelElement = element(doc, 'label', { className: 'outcome-legend', text: t(label) });
  labelElement.htmlFor = input.id;
  return element(doc, 'div', { className: 'outcome-field' }, labelElement, input);
}

/** Puts `kind` in `set` or takes it out as its box is ticked or cleared. */
export function toggleIn(set: Set<DocumentKind>, kind: DocumentKind): (checked: boolean) => void {
  return (checked) => {
    if (checked) set.add(kind);
    else set.delete(kind);
  };
}
