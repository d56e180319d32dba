// The installers' own scripts, checked with the tools that can check them here: real shellcheck on
// the deb/rpm templates (rendered as electron-builder renders them) and the macOS postinstall; the
// msi hook applied to electron-builder's real WiX template (rendered with its own ejs) and checked
// by real xmllint. The NSIS include cannot be compiled here (no makensis): its shape is checked.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const project = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));
// A plain .mjs module (electron-builder import()s it), so typed here at its one use.
const { addHookClientToPath } = (await import(project('build/msi-project-created.mjs'))) as { addHookClientToPath(wxs: string): string };
const work = mkdtempSync(join(tmpdir(), 'installer-scripts-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** What FpmTarget's writeConfigFile does: every ${letters} from the options, single quotes escaped. */
function renderFpmTemplate(file: string, options: Record<string, string>): string {
  return readFileSync(project(file), 'utf8').replace(/\$\{([a-zA-Z]+)\}/g, (_m, name: string) => {
    const value = options[name];
    if (value === undefined) throw new Error(`Macro ${name} is not defined`);
    return value.replace(/'/g, "'\\''");
  });
}

/** shellcheck's findings (JSON), the script read from a file as bash. */
function shellcheck(path: string): { line: number; code: number; message: string }[] {
  const run = spawnSync('shellcheck', ['--format=json', '--shell=bash', '--severity=style', path], { encoding: 'utf8' });
  if (run.error) throw run.error;
  return (JSON.parse(run.stdout) as { line: number; code: number; message: string }[]).map(({ line, code, message }) => ({ line, code, message }));
}

const LINUX_OPTIONS = { executable: 'cowork-companion', sanitizedProductName: 'Cowork Companion' };

describe('shellcheck', () => {
  it('reports a real problem (so a clean result below means something)', () => {
    const bad = join(work, 'bad.sh');
    writeFileSync(bad, '#!/bin/bash\nrm -rf $1/x\n');
    expect(shellcheck(bad).map((f) => f.code)).toContain(2086);
  });

  for (const file of ['build/linux/after-install.tpl', 'build/linux/after-remove.tpl']) {
    it(`${file}, rendered for deb and rpm, is clean`, () => {
      const rendered = join(work, file.replace(/\W/g, '_'));
      writeFileSync(rendered, renderFpmTemplate(file, LINUX_OPTIONS));
      expect(shellcheck(rendered)).toEqual([]);
      expect(() => execFileSync('bash', ['-n', rendered])).not.toThrow();
    });
  }

  it('a product name with a quote cannot break out of the rendered paths', () => {
    const rendered = join(work, 'quoted.sh');
    writeFileSync(rendered, renderFpmTemplate('build/linux/after-install.tpl', { ...LINUX_OPTIONS, sanitizedProductName: "O'Brien Tools" }));
    expect(shellcheck(rendered)).toEqual([]);
    const appDir = execFileSync('bash', ['-c', `eval "$(grep -m1 '^app_dir=' "$1")"; printf %s "$app_dir"`, 'x', rendered], { encoding: 'utf8' });
    expect(appDir).toBe("/opt/O'Brien Tools");
  });

  it('build/pkg-scripts/postinstall is clean', () => {
    expect(shellcheck(project('build/pkg-scripts/postinstall'))).toEqual([]);
  });
});

describe('the Linux scripts', () => {
  // What they do is run for real in test/integration/install-scripts.test.ts; these are the parts that
  // need the distribution's tools (absent there).
  const install = renderFpmTemplate('build/linux/after-install.tpl', LINUX_OPTIONS);
  const remove = renderFpmTemplate('build/linux/after-remove.tpl', LINUX_OPTIONS);

  it('keep electron-builder\'s own steps (they replace its default scripts)', () => {
    expect(install).toContain('update-alternatives --install "/usr/bin/$app_bin" "$app_bin" "$app_dir/$app_bin" 100');
    expect(install).toContain('chmod 4755 "$app_dir/chrome-sandbox"');
    expect(install).toContain('apparmor_parser --replace');
    expect(remove).toContain('update-alternatives --remove "$app_bin" "$app_dir/$app_bin"');
  });
});

describe('msi: the hook client folder on PATH', () => {
  // electron-builder's MsiTarget turns template.xml into an ejs template this way, then fills it.
  const ejs = require(require.resolve('ejs', { paths: [require.resolve('app-builder-lib/package.json')] })) as {
    compile(template: string): (data: Record<string, unknown>) => string;
  };
  const templateText = readFileSync(require.resolve('app-builder-lib/templates/msi/template.xml'), 'utf8')
    .replace(/{{/g, '<%')
    .replace(/}}/g, '%>')
    .replace(/\${([^}]+)}/g, '<%=$1%>');
  const wxs = ejs.compile(templateText)({
    productName: 'Cowork Companion',
    upgradeCode: '{11111111-2222-3333-4444-555555555555}',
    version: '0.1.0.0',
    manufacturer: 'Cowork Companion team',
    compressionLevel: 'high',
    iconPath: null,
    iconId: 'CoworkCompanionIcon.exe',
    isRunAfterFinish: false,
    isAssisted: false,
    isPerMachine: true,
    programFilesId: 'ProgramFiles64Folder',
    installationDirectoryWixName: 'Cowork Companion',
    menuCategory: null,
    isCreateDesktopShortcut: false,
    isCreateStartMenuShortcut: false,
    dirs: '<Directory Id="dBin" Name="APPLICATIONFOLDER:\\resources\\bin\\"/>',
    files: '<Component Directory="dBin">\n        <File Name="cowork-companion-hook" Source="$(var.appDir)\\resources\\bin\\cowork-companion-hook" ReadOnly="yes" KeyPath="yes"/>\n      </Component>',
  });

  function xmllint(text: string): string {
    const file = join(work, `project-${Math.random().toString(36).slice(2)}.wxs`);
    writeFileSync(file, text);
    const run = spawnSync('xmllint', ['--noout', file], { encoding: 'utf8' });
    return run.status === 0 ? '' : run.stderr;
  }

  it('xmllint reports a broken project (so a clean result below means something)', () => {
    expect(xmllint(wxs.replace('</ComponentGroup>', ''))).not.toBe('');
  });

  it('adds one machine-wide PATH entry for [APPLICATIONFOLDER]resources\\bin, removed on uninstall, and stays well-formed', () => {
    const edited = addHookClientToPath(wxs);
    expect(xmllint(wxs)).toBe('');
    expect(xmllint(edited)).toBe('');
    const entries = [...edited.matchAll(/<Environment [^>]*\/>/g)].map((m) => m[0]);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toContain('Name="PATH"');
    expect(entries[0]).toContain('Value="[APPLICATIONFOLDER]resources\\bin"');
    expect(entries[0]).toContain('Part="last"');
    expect(entries[0]).toContain('Permanent="no"');
    expect(entries[0]).toContain('System="yes"');
    // Inside the product's component group, so the product's one feature installs it.
    const group = edited.slice(edited.indexOf('<ComponentGroup Id="ProductComponents"'), edited.indexOf('</ComponentGroup>'));
    expect(group).toContain('<Component Id="CoworkCompanionHookClientPath" Guid="{');
  });

  it('a per-user project gets the user\'s PATH', () => {
    const perUser = wxs.replace('<Property Id="ALLUSERS" Secure="yes" Value="1"/>', '<Property Id="ALLUSERS" Secure="yes" Value="2"/>');
    expect(addHookClientToPath(perUser)).toContain('System="no"');
  });

  it('is idempotent and fails loudly on a project it does not recognise', () => {
    const once = addHookClientToPath(wxs);
    expect(addHookClientToPath(once)).toBe(once);
    expect(() => addHookClientToPath('<Wix/>')).toThrow(/ProductComponents/);
  });
});

describe('nsis include', () => {
  const nsh = readFileSync(project('build/installer.nsh'), 'utf8');

  it('adds on install and removes on uninstall, through one macro', () => {
    expect(nsh).toMatch(/!macro customInstall\n\s+!insertmacro coworkCompanionEditPath add\n!macroend/);
    expect(nsh).toMatch(/!macro customUnInstall\n\s+!insertmacro coworkCompanionEditPath remove\n!macroend/);
  });

  it('passes the install folder in the environment, never inside the PowerShell command line', () => {
    const command = /nsExec::ExecToLog `([^`]*)`/.exec(nsh)?.[1] ?? '';
    expect(command).not.toBe('');
    expect(command).not.toContain('$INSTDIR');
    expect(nsh).toContain('SetEnvironmentVariable(t "COWORK_COMPANION_HOOK_DIR", t "$INSTDIR\\resources\\bin")');
    // Reads PATH unexpanded and writes it back as REG_EXPAND_SZ: other entries' %VARIABLES% survive.
    expect(command).toContain("'DoNotExpandEnvironmentNames'");
    expect(command).toContain("'ExpandString'");
  });
});
