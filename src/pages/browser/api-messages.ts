/**
 * Loaded by the page script (served as /_doorman/pages/browser/api-messages.js); no DOM, no
 * import, so the server's tests can read it too.
 */
/**
 * The API's messages (DRF's and Django's English, the HTTP contract's words) as a person on a
 * Korean page reads them. The page script looks each message up here before it shows it; a
 * number in a message stands as {n} in the key (the throttle's seconds, a length). A message
 * not in the table is shown as the API sent it. The HTTP API itself keeps answering in English,
 * so front ends written for simplejwt and dj-rest-auth see the same words.
 */
const apiKo: Readonly<Record<string, string>> = {
  'This field is required.': '필수 항목입니다.',
  'This field may not be blank.': '비워 둘 수 없습니다.',
  'This field may not be null.': '비워 둘 수 없습니다.',
  'This field cannot be blank.': '비워 둘 수 없습니다.',
  'Enter a valid email address.': '올바른 이메일 주소를 입력해 주세요.',
  'A user is already registered with this email address.': '이 이메일 주소로 가입한 사용자가 이미 있습니다.',
  'The two password fields didn\u2019t match.': '두 비밀번호가 서로 다릅니다.',
  "The two password fields didn't match.": '두 비밀번호가 서로 다릅니다.',
  'This password is too short. It must contain at least {n} characters.':
    '비밀번호가 너무 짧습니다. {n}자 이상이어야 합니다.',
  'This password is too common.': '너무 흔한 비밀번호입니다.',
  'This password is entirely numeric.': '비밀번호가 숫자로만 되어 있습니다.',
  'The password is too similar to the email address.': '비밀번호가 이메일 주소와 너무 비슷합니다.',
  'The password is too similar to the first name.': '비밀번호가 이름과 너무 비슷합니다.',
  'The password is too similar to the last name.': '비밀번호가 성과 너무 비슷합니다.',
  'Unable to log in with provided credentials.': '이메일 또는 비밀번호가 올바르지 않습니다.',
  'E-mail is not verified.': '이메일 주소가 아직 확인되지 않았습니다.',
  'Your old password was entered incorrectly. Please enter it again.':
    '현재 비밀번호가 올바르지 않습니다. 다시 입력해 주세요.',
  'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.': '날짜는 YYYY-MM-DD 형식으로 입력해 주세요.',
  'Ensure this field has no more than {n} characters.': '{n}자 이하로 입력해 주세요.',
  'Request was throttled. Expected available in {n} seconds.': '요청이 너무 많습니다. {n}초 후에 다시 시도해 주세요.',
  // DRF's singular, for a wait of one second (throttle/throttled.ts).
  'Request was throttled. Expected available in {n} second.': '요청이 너무 많습니다. {n}초 후에 다시 시도해 주세요.',
  'The server is busy; try again shortly.': '서버가 바쁩니다. 잠시 후 다시 시도해 주세요.',
  'The database is unavailable; try again shortly.': '데이터베이스에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요.',
  'Authentication credentials were not provided.': '로그인이 필요합니다.',
  'You do not have permission to perform this action.': '이 작업을 할 권한이 없습니다.',
  'Not found.': '찾을 수 없습니다.',
  'Invalid value': '올바르지 않은 값입니다.',
};

/** By the page's language (the `lang` of its <html>); English is the API's own. */
export const API_MESSAGES: Readonly<Record<string, Readonly<Record<string, string>>>> = { ko: apiKo, en: {} };

/** A message in the page's language: the table's entry, with the message's numbers put back in for {n}. */
export function translateApiMessage(table: Readonly<Record<string, string>>, message: string): string {
  const exact = table[message];
  if (exact !== undefined) return exact;
  const numbers = message.match(/\d+/g);
  if (!numbers) return message;
  const shaped = table[message.replace(/\d+/g, '{n}')];
  if (shaped === undefined) return message;
  let i = 0;
  return shaped.replace(/\{n\}/g, () => numbers[i++] ?? '');
}
