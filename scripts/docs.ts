import { writeFileSync } from 'node:fs';
import { errorsMarkdown, settingsMarkdown } from '../src/config/docs.js';

writeFileSync('docs/settings.md', settingsMarkdown());
writeFileSync('docs/errors.md', errorsMarkdown());
console.log('wrote docs/settings.md and docs/errors.md');
