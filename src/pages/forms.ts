import { html, type SafeHtml } from './escape.js';

export interface FieldSpec {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'date' | 'search';
  autocomplete?: string;
  required?: boolean;
  /** A <select> with these options (value, label). */
  options?: ReadonlyArray<readonly [string, string]>;
}

/**
 * One labelled field with its error slot: the error <p> is tied to the input by
 * aria-describedby, so a screen reader reads it with the field; the script fills it.
 */
export function field(form: string, spec: FieldSpec): SafeHtml {
  const id = `${form}-${spec.name}`;
  const error = `${id}-error`;
  const control = spec.options
    ? html`<select id="${id}" name="${spec.name}" aria-describedby="${error}">${spec.options.map(([value, label]) => html`<option value="${value}">${label}</option>`)}</select>`
    : html`<input id="${id}" name="${spec.name}" type="${spec.type ?? 'text'}"${spec.autocomplete ? html` autocomplete="${spec.autocomplete}"` : ''}${spec.required ? html` required` : ''} aria-describedby="${error}">`;
  return html`<div class="field"><label for="${id}">${spec.label}</label>${control}<p class="error" id="${error}"></p></div>`;
}

/**
 * A form the page script sends with fetch (JSON, same origin); without the script it does
 * nothing (method="post" to nowhere would send a form body, which cookie mode refuses).
 */
export function form(
  name: string,
  fields: readonly FieldSpec[],
  submit: string,
  extra: SafeHtml | string = '',
): SafeHtml {
  return html`<form class="card" data-form="${name}" novalidate>
<p class="error form-error" id="${name}-form-error" role="alert"></p>
<p class="notice" id="${name}-notice" role="status"></p>
${fields.map((f) => field(name, f))}
<button type="submit">${submit}</button>
${extra}
</form>`;
}
