import { describe, it, expect } from 'vitest';
import { describeGrant, describeTarget } from './describe-grant.js';

describe('describeGrant', () => {
  it('names the action for built-in tools', () => {
    expect(describeGrant('Write', { paths: ['/a'] })).toBe('Allows the agent to write this file, this once.');
    expect(describeGrant('Bash', { paths: [], command: 'ls' })).toBe('Allows the agent to run this command, this once.');
  });
  it('names the MCP server and tool', () => {
    expect(describeGrant('mcp__jira__create_issue', { paths: [], mcp: { server: 'jira', tool: 'create_issue' } })).toBe(
      'Allows the agent to call “create_issue” on the jira MCP server, this once.',
    );
  });
  it('falls back to the tool name', () => {
    expect(describeGrant('Frobnicate', { paths: [] })).toBe('Allows the agent to use the Frobnicate tool, this once.');
  });
});

describe('describeTarget', () => {
  it('prefers a path, then the command', () => {
    expect(describeTarget({ paths: ['/x'], command: 'c' })).toBe('/x');
    expect(describeTarget({ paths: [], command: 'c' })).toBe('c');
    expect(describeTarget({ paths: [] })).toBeUndefined();
  });
});
