import { writeFileSync } from 'node:fs';
import { settingsMarkdown } from '../src/config/docs.js';
import { errorsMarkdown } from '../src/errors/docs.js';

writeFileSync('docs/settings.md', settingsMarkdown());
writeFileSync('docs/errors.md', errorsMarkdown());
console.log('wrote docs/settings.md and docs/errors.md');
