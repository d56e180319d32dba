#!/usr/bin/env node
// cowork-companion under Node (bin/cowork-companion.js, npm start/serve): runs the command line.
import { cliFailure, runCli } from './cli-program.js';

runCli(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    const { text, code } = cliFailure(error);
    process.stderr.write(text);
    // Exit now: a companion that failed half-way may hold handles that would keep the process alive.
    process.exit(code);
  },
);
