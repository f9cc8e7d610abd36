import type { FieldErrors } from '../errors/auth-error.js';

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  data?: unknown;
}

const PY_TYPE = (value: unknown) =>
  Array.isArray(value)
    ? 'list'
    : value === null
      ? 'NoneType'
      : typeof value === 'string'
        ? 'str'
        : typeof value === 'number'
          ? Number.isInteger(value)
            ? 'int'
            : 'float'
          : typeof value === 'boolean'
            ? 'bool'
            : 'dict';

function message(error: AjvError): string {
  switch (error.keyword) {
    case 'required':
      return 'This field is required.';
    case 'minLength':
      return 'This field may not be blank.';
    case 'maxLength':
      return `Ensure this field has no more than ${error.params.limit} characters.`;
    case 'type':
      return error.data === null ? 'This field may not be null.' : 'Not a valid string.';
    default:
      return 'Invalid value.';
  }
}

/**
 * Ajv's errors in DRF's words and shape: `{ "email": ["This field is required."] }`; a body
 * that is not an object at all gets DRF's "Invalid data. Expected a dictionary" answer.
 */
export function fieldErrorsFromAjv(errors: AjvError[], body: unknown): FieldErrors {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { non_field_errors: [`Invalid data. Expected a dictionary, but got ${PY_TYPE(body)}.`] };
  }
  const fields: FieldErrors = {};
  for (const error of errors) {
    const field =
      error.keyword === 'required'
        ? String(error.params.missingProperty)
        : error.instancePath.split('/')[1] || 'non_field_errors';
    const list = (fields[field] ??= []);
    const text = message(error);
    if (!list.includes(text)) list.push(text);
  }
  return fields;
}
