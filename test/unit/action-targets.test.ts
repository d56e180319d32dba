import { describe, expect, it } from 'vitest';
import { extractTargets, parseMcpToolName } from '../../shared/action-targets.js';
import { fixture } from '../support/fixtures.js';

const targetsOf = (name: string) => {
  const p = fixture<{ tool_name: string; tool_input: Record<string, unknown> }>(`input/${name}.json`);
  return extractTargets(p.tool_name, p.tool_input);
};

describe('what an action names', () => {
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
    expect(extractTargets('Read', { file_path: 42, command: ['rm'] })).toEqual({ paths: [] });
  });
});
