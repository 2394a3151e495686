// The order form: reads the fields, shows each field's error under it, and hands valid input to `submit`.

import type { SubmitResult } from './api.js';
import { must } from './dom.js';
import { type FieldErrors, type OrderInput, validateOrder } from './orders.js';

export function mountForm(form: HTMLFormElement, submit: (input: OrderInput) => Promise<SubmitResult>): void {
  const button = must<HTMLButtonElement>('button[type=submit]', form);
  const formError = must<HTMLElement>('.form-error', form);
  const input = (name: keyof OrderInput) => must<HTMLInputElement>(`input[name=${name}]`, form);

  const show = (errors: FieldErrors, message = '') => {
    for (const slot of form.querySelectorAll<HTMLElement>('.field-error')) {
      const field = slot.dataset.for as keyof OrderInput;
      slot.textContent = errors[field] ?? '';
      input(field).setAttribute('aria-invalid', String(Boolean(errors[field])));
    }
    formError.textContent = message;
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const quantity = input('quantity').value.trim();
    const order: OrderInput = {
      item: input('item').value.trim(),
      quantity: quantity === '' ? Number.NaN : Number(quantity),
      customer: input('customer').value.trim(),
    };
    const errors = validateOrder(order);
    show(errors);
    if (Object.keys(errors).length) return;

    button.disabled = true;
    try {
      const result = await submit(order);
      if (result.ok) {
        input('item').value = '';
        input('item').focus();
      } else {
        show(result.fieldErrors, result.message);
      }
    } finally {
      button.disabled = false;
    }
  });
}
