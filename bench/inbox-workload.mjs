// The Inbox benches' requests: a project of real files, and the i-th tool call of the workload — an Edit
// of a 5,000-line file, a Write over a 400-line one, a described Bash command, an MCP call — so each
// card carries what a person judges it by (diffs, descriptions, arguments).
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const FILES = 10;
export const LINES = 5000;
export const SMALL = 400;

/** Writes the project's files and returns the tool call of request `i`. */
export function inboxWorkload(project) {
  const text = Array.from({ length: LINES }, (_, i) => `  const value${i + 1} = compute(${i + 1}); // line ${i + 1}`).join('\n') + '\n';
  const small = text.split('\n').slice(0, SMALL).join('\n') + '\n';
  for (let f = 0; f < FILES; f++) {
    writeFileSync(join(project, `module-${f}.ts`), text);
    writeFileSync(join(project, `small-${f}.ts`), small);
  }
  return (i) => {
    const file = join(project, `module-${i % FILES}.ts`);
    const line = ((i * 37) % (LINES - 10)) + 5;
    switch (i % 4) {
      case 0:
        return { tool_name: 'Edit', tool_input: { file_path: file, old_string: `// line ${line}\n`, new_string: `// line ${line}, changed by task ${i}\n`, replace_all: false } };
      case 1:
        return { tool_name: 'Write', tool_input: { file_path: join(project, `small-${i % FILES}.ts`), content: small.replace(/\/\/ line (\d*0)\n/g, (m, n) => `// line ${n}, rewritten by task ${i}\n`) } };
      case 2:
        return { tool_name: 'Bash', tool_input: { command: `npm run task-${i} -- --verbose`, description: `Run task ${i} with verbose output` } };
      default:
        return { tool_name: 'mcp__jira__create_issue', tool_input: { project_key: 'PAY', summary: `Task ${i} failed`, labels: ['bench', `task-${i}`], fields: { priority: 'High' } } };
    }
  };
}

/**
 * `serve` in headless mode for a bench (no watcher, a long budget, links on stdin), once it is ready:
 * its ready line, the agent token, and `newLink()` for a fresh Inbox address.
 */
export async function startBenchServe(root, dataDir) {
  const serve = spawn(process.execPath, ['dist/electron/cli/cli.js', 'serve', '--data-dir', dataDir, '--port', '0', '--budget-ms', '600000', '--no-watch', '--stdin-links'], {
    cwd: root,
    env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: serve.stdout });
  const next = () => new Promise((r) => lines.once('line', r));
  const ready = JSON.parse(await next());
  const newLink = async () => {
    const p = next();
    serve.stdin.write('\n');
    return JSON.parse(await p).uiUrl;
  };
  return { serve, ready, token: readFileSync(ready.tokenFile, 'utf8').trim(), newLink };
}
