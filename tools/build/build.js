#!/usr/bin/env node
// Compiles apps/ and libs/ to CommonJS under dist/ with swc (decorator metadata on, @olist/* aliases
// rewritten to relative paths). Skips the work when no source is newer than the last build.
const fs = require('node:fs');
const path = require('node:path');
const swc = require('@swc/core');

const root = path.resolve(__dirname, '../..');
const outRoot = path.join(root, 'dist');
const stamp = path.join(outRoot, '.build-stamp');
const SOURCE_DIRS = ['apps', 'libs', 'tools/bench'];
const isSource = (f) => f.endsWith('.ts') && !f.endsWith('.spec.ts') && !f.endsWith('.int-spec.ts') && !f.endsWith('.d.ts');

function walk(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

function sources() {
  return SOURCE_DIRS.flatMap((d) => walk(path.join(root, d))).filter((f) => isSource(f) || f.endsWith('.json') && f.includes(`${path.sep}src${path.sep}`));
}

function isFresh(files) {
  if (!fs.existsSync(stamp)) return false;
  const built = fs.statSync(stamp).mtimeMs;
  const inputs = [...files, path.join(root, 'tsconfig.base.json'), __filename];
  return inputs.every((f) => fs.statSync(f).mtimeMs <= built);
}

async function build({ force = false, quiet = false } = {}) {
  const files = sources();
  if (!force && isFresh(files)) return { compiled: 0, fresh: true };
  const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8'));
  const started = Date.now();
  // Build beside dist/ and swap it in, so a process starting from dist/ never sees half a build.
  const staging = `${outRoot}.building-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  await Promise.all(
    files.map(async (file) => {
      const rel = path.relative(root, file);
      const target = path.join(staging, rel.replace(/\.ts$/, '.js'));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      if (file.endsWith('.json')) return fs.copyFileSync(file, target);
      const { code, map } = await swc.transformFile(file, {
        swcrc: false,
        sourceMaps: true,
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
          keepClassNames: true,
          baseUrl: root,
          paths: compilerOptions.paths,
        },
        module: { type: 'commonjs' },
      });
      fs.writeFileSync(target, `${code}\n//# sourceMappingURL=${path.basename(target)}.map`);
      if (map) fs.writeFileSync(`${target}.map`, map);
    }),
  );
  fs.writeFileSync(path.join(staging, '.build-stamp'), new Date().toISOString());
  const retired = `${outRoot}.old-${process.pid}`;
  if (fs.existsSync(outRoot)) fs.renameSync(outRoot, retired);
  fs.renameSync(staging, outRoot);
  fs.rmSync(retired, { recursive: true, force: true });
  if (!quiet) console.log(`built ${files.length} files into dist/ in ${Date.now() - started} ms`);
  return { compiled: files.length, fresh: false };
}

module.exports = { build, outRoot };

if (require.main === module) {
  build({ force: process.argv.includes('--force') }).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
