#!/usr/bin/env node
// The `deploy-studio` command: builds the Node parts on first use (or when sources changed), then runs the CLI.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const cli = path.join(root, 'out', 'cli', 'cli.cjs');

function newestSource(dir) {
  let newest = 0;
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    if (e.name === 'node_modules' || e.name === 'gen') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (/\.(ts|proto)$/.test(e.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function ensureBuilt() {
  const hasSources = fs.existsSync(path.join(root, 'electron'));
  const builtAt = fs.existsSync(cli) ? fs.statSync(cli).mtimeMs : 0;
  const stale = hasSources && Math.max(newestSource(path.join(root, 'electron')), newestSource(path.join(root, 'shared'))) > builtAt;
  const needRenderer = process.argv[2] === 'serve' && !fs.existsSync(path.join(root, 'out', 'renderer', 'index.html'));
  if (!builtAt || stale || needRenderer) {
    const args = [path.join(root, 'scripts', 'build.mjs')];
    if (!needRenderer) args.push('--node');
    execFileSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  }
}

ensureBuilt();
require(cli).main(process.argv);
