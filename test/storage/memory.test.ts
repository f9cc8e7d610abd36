import { memoryStorage } from '../../src/storage/memory/index.js';
import { storageConformance } from './conformance.js';

storageConformance('memory', async () => {
  const storage = memoryStorage();
  return { storage, dispose: () => storage.close() };
});
