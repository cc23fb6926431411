// Loaded into the soak's provider process only (`node --expose-gc --import …`): on SIGUSR2 it collects
// garbage and writes process.memoryUsage() to SOAK_HEAP_FILE, so the soak reads the heap after GC
// without any endpoint in the provider itself.
import { writeFileSync } from 'node:fs';

const file = process.env.SOAK_HEAP_FILE;
if (file) {
  process.on('SIGUSR2', () => {
    (globalThis as { gc?: () => void }).gc?.();
    writeFileSync(file, JSON.stringify({ at: Date.now(), ...process.memoryUsage() }));
  });
}
