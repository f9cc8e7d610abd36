/**
 * A non-2xx answer from doorman, carrying DRF's body. Switch on `code` (simplejwt's and DRF's
 * machine codes: `token_not_valid`, `not_authenticated`, `csrf_failed`, `throttled`, ...) or read
 * `fieldErrors` for a form; never parse `message`.
 *
 * @example
 * try {
 *   await client.join({ email, password1, password2 });
 * } catch (error) {
 *   if (error instanceof DoormanError && error.status === 400) {
 *     showNextTo('password1', error.fieldErrors.password1?.[0]);
 *     showAtTop(error.fieldErrors.non_field_errors?.[0]);
 *   } else throw error;
 * }
 */
export class DoormanError extends Error {
  override readonly name = 'DoormanError';
  /** The HTTP status (400, 401, 403, 404, 429, ...). */
  readonly status: number;
  /** DRF's `code` (`{"detail", "code"}` answers); null for field errors and for bodies without one. */
  readonly code: string | null;
  /** DRF's `detail`; null for field errors. */
  readonly detail: string | null;
  /**
   * DRF's field errors, `{"<field>": ["message", ...]}`, with errors not tied to one field under
   * `non_field_errors`. Empty for `{"detail", "code"}` answers.
   */
  readonly fieldErrors: Readonly<Record<string, readonly string[]>>;
  /** The answer's parsed JSON body as sent (null when it was not JSON). */
  readonly body: unknown;
  /** Seconds from `Retry-After` (429 answers), else null. */
  readonly retryAfter: number | null;

  constructor(status: number, body: unknown, retryAfter: number | null = null) {
    const record = isRecord(body) ? body : {};
    const detail = typeof record.detail === 'string' ? record.detail : null;
    const fieldErrors = detail === null ? fieldErrorsOf(record) : {};
    const first = Object.values(fieldErrors)[0]?.[0];
    super(detail ?? first ?? `HTTP ${status}`);
    this.status = status;
    this.code = typeof record.code === 'string' ? record.code : null;
    this.detail = detail;
    this.fieldErrors = fieldErrors;
    this.body = body;
    this.retryAfter = retryAfter;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The entries of a DRF body that are lists of messages (`{"email": ["..."], "non_field_errors": ["..."]}`). */
function fieldErrorsOf(body: Record<string, unknown>): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const [field, value] of Object.entries(body)) {
    if (Array.isArray(value) && value.every((message) => typeof message === 'string')) errors[field] = value;
  }
  return errors;
}

/** A DoormanError from a fetch Response (its body read as JSON when it is JSON). */
export async function errorFromResponse(response: Response): Promise<DoormanError> {
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // A proxy's HTML error page, say: keep the status, no body.
  }
  const retryAfter = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
  return new DoormanError(response.status, body, Number.isFinite(retryAfter) ? retryAfter : null);
}
