#!/usr/bin/env node
// The `olist` command: compiles the platform when its sources changed, then runs the CLI.
const path = require('node:path');
const { build } = require('../tools/build/build.js');

build({ quiet: true })
  .then(() => require(path.join(__dirname, '../dist/apps/cli/src/main.js')).main(process.argv))
  .catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
