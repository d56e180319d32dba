#!/usr/bin/env node
// Entry point installed on PATH. The compiled CLI lives in dist/ (run "npm run build").
import('../dist/electron/cli/cli.js').catch((error) => {
  process.stderr.write(`cowork-companion: cannot load the CLI (${error.message}); run "npm run build" first.\n`);
  // As a Claude Code hook, only exit 2 blocks the tool call: anything else would let it run unchecked.
  process.exit(process.argv[2] === 'hook' ? 2 : 1);
});
