// Writes .gz and .br siblings of the built text files, which platform-api serves when the browser accepts them.
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const root = process.argv[2] ?? 'target/classes/dashboard';
const compressible = /\.(html|js|mjs|css|json|svg|txt|map)$/;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

let raw = 0, gz = 0, br = 0, count = 0;
for (const path of files(root)) {
  if (!compressible.test(path)) continue;
  const data = readFileSync(path);
  const g = gzipSync(data, { level: 9 });
  const b = brotliCompressSync(data, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
  });
  writeFileSync(path + '.gz', g);
  writeFileSync(path + '.br', b);
  raw += data.length; gz += g.length; br += b.length; count++;
}
const kb = (n) => (n / 1024).toFixed(1) + ' KB';
console.log(`compressed ${count} files in ${root}: ${kb(raw)} raw, ${kb(gz)} gzip, ${kb(br)} brotli`);
