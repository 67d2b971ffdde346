// Loads each test file as one uvu group, then runs them all (what `uvu` does).
import { pathToFileURL } from 'node:url';
import { relative } from 'node:path';

globalThis.UVU_DEFER = 1;
const uvu = await import('uvu');
let index = 0;
for (const file of process.argv.slice(2)) {
  globalThis.UVU_INDEX = index++;
  globalThis.UVU_QUEUE.push([relative(process.cwd(), file)]);
  await import(pathToFileURL(file).href);
}
await uvu.exec(false);
