import { describe, expect, it } from 'vitest';
import { acceptedMatchKinds, displayTargets, isReadOnlyTool, matchKindsFor, parseMcpToolName, pathKeysOf, toolEntry } from '../../shared/tool-catalogue.js';
import { fixture } from '../support/fixtures.js';

const targetsOf = (name: string) => {
  const p = fixture<{ tool_name: string; tool_input: Record<string, unknown> }>(`input/${name}.json`);
  return displayTargets(p.tool_name, p.tool_input);
};

describe('what an action names, for the card', () => {
  it('takes file paths from Write/Edit/Read', () => {
    expect(targetsOf('pretooluse-write').paths).toEqual(['/Users/dana.kovac/work/payments-api/src/refunds/retryPolicy.ts']);
    expect(targetsOf('pretooluse-edit').paths).toHaveLength(1);
    expect(targetsOf('pretooluse-read').paths).toHaveLength(1);
  });
  it('takes the command from Bash and the URL from WebFetch', () => {
    expect(targetsOf('pretooluse-bash').command).toEqual(expect.any(String));
    expect(targetsOf('pretooluse-webfetch').url).toMatch(/^https?:\/\//);
  });
  it('takes path and pattern from Grep/Glob', () => {
    const grep = targetsOf('pretooluse-grep');
    expect(grep.pattern).toEqual(expect.any(String));
  });
  it('names the MCP server and tool', () => {
    expect(targetsOf('pretooluse-mcp').mcp).toEqual({ server: 'jira', tool: 'create_issue' });
    expect(parseMcpToolName('mcp__my_server__do__thing')).toEqual({ server: 'my_server', tool: 'do__thing' });
    expect(parseMcpToolName('Bash')).toBeUndefined();
    expect(parseMcpToolName('mcp____x')).toBeUndefined();
  });
  it('ignores non-string values', () => {
    expect(displayTargets('Read', { file_path: 42, command: ['rm'] })).toEqual({ paths: [] });
  });
});

describe('the tool catalogue', () => {
  it('classifies built-in, MCP and unknown tools', () => {
    expect(toolEntry('Read')).toMatchObject({ kind: 'file', access: 'read' });
    expect(toolEntry('Write')).toMatchObject({ kind: 'file', access: 'write' });
    expect(toolEntry('Grep').kind).toBe('search');
    expect(toolEntry('mcp__fs__read').kind).toBe('mcp');
    expect(toolEntry('Frobnicate').kind).toBe('unknown');
    // Inherited object keys are not tools.
    expect(toolEntry('constructor').kind).toBe('unknown');
    expect(toolEntry('__proto__').kind).toBe('unknown');
  });
  it('knows which tools only read', () => {
    expect(['Read', 'Glob', 'Grep', 'LS', 'NotebookRead'].filter(isReadOnlyTool)).toHaveLength(5);
    expect(['Write', 'Edit', 'MultiEdit', 'NotebookEdit', 'Bash', 'WebFetch', 'mcp__a__b'].some(isReadOnlyTool)).toBe(false);
  });
  it("adds the policy's MCP path arguments for that server only", () => {
    expect(pathKeysOf('mcp__files__copy', { files: ['from', 'to'] })).toEqual(expect.arrayContaining(['path', 'from', 'to']));
    expect(pathKeysOf('mcp__other__copy', { files: ['from'] })).not.toContain('from');
    expect(displayTargets('mcp__files__copy', { from: '/a', to: '/b' }, { files: ['from', 'to'] }).paths).toEqual(['/a', '/b']);
  });
});

describe('the kinds of rule that can cover a tool', () => {
  it('offers the kind that fits the tool, and "any" only where it cannot let a chained command through', () => {
    expect(matchKindsFor('Edit')).toEqual(['path-prefix', 'any']);
    expect(matchKindsFor('Grep')).toEqual(['path-prefix', 'any']);
    expect(matchKindsFor('Bash')).toEqual(['command-prefix']);
    expect(matchKindsFor('WebFetch')).toEqual(['domain', 'any']);
    expect(matchKindsFor('WebSearch')).toEqual(['any']);
    expect(matchKindsFor('mcp__jira__create_issue')).toEqual(['any']);
    expect(matchKindsFor('SomethingNew')).toEqual(['any']);
    // The core also takes a path prefix for Bash and MCP (rules made earlier, IT's), never "any" for Bash.
    expect(acceptedMatchKinds('Bash')).toEqual(['command-prefix', 'path-prefix']);
    expect(acceptedMatchKinds('mcp__jira__create_issue')).toEqual(['any', 'path-prefix']);
    expect(acceptedMatchKinds('Edit')).toEqual(['path-prefix', 'any']);
  });
});
