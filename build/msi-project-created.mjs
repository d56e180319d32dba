// electron-builder `msiProjectCreated` hook: puts the packaged hook client's folder
// (resources\bin, where the bash client lives) on PATH, so Claude Code, which runs command hooks through
// Git Bash on Windows, finds `cowork-companion-hook` by name. electron-builder's MSI template has no
// option for this; the hook edits the generated WiX project before candle compiles it.
// The entry is removed again on uninstall (Windows Installer owns it: Permanent="no").
// electron-builder import()s it and calls the export named after the hook; the text edit is pure (tested).
import { readFile, writeFile } from 'node:fs/promises';

/** Same component, same GUID in every build: an upgrade replaces the PATH entry instead of adding one. */
const COMPONENT_GUID = '{6F0B7C39-5B0E-4C53-9E0A-2C3F1D8B7A41}';

/**
 * The WiX project text with a component that appends [APPLICATIONFOLDER]resources\bin to PATH
 * (the machine's PATH for a per-machine install, the user's otherwise). Throws when the project
 * does not look like electron-builder's template: a silent no-op would ship an msi without it.
 * @param {string} wxs
 * @returns {string}
 */
export function addHookClientToPath(wxs) {
  if (wxs.includes('Id="CoworkCompanionHookClientPath"')) return wxs;
  const group = /<ComponentGroup Id="ProductComponents" Directory="APPLICATIONFOLDER">/.exec(wxs);
  const end = group === null ? -1 : wxs.indexOf('</ComponentGroup>', group.index);
  if (end < 0) throw new Error('msi-project-created: no ProductComponents group in the WiX project; cannot add the hook client to PATH');
  const perMachine = /<Property Id="ALLUSERS" Secure="yes" Value="1"\/>/.test(wxs);
  const component = [
    `<Component Id="CoworkCompanionHookClientPath" Guid="${COMPONENT_GUID}">`,
    // A registry value as key path: a component holding only an environment change needs one.
    '  <RegistryValue Root="HKMU" Key="Software\\Cowork Companion\\Installer" Name="HookClientOnPath" Type="integer" Value="1" KeyPath="yes"/>',
    `  <Environment Id="CoworkCompanionHookClientPathEntry" Name="PATH" Value="[APPLICATIONFOLDER]resources\\bin" Action="set" Part="last" Permanent="no" System="${perMachine ? 'yes' : 'no'}"/>`,
    '</Component>',
  ].join('\n      ');
  return `${wxs.slice(0, end)}  ${component}\n    ${wxs.slice(end)}`;
}

/** @param {string} projectFile path of the generated project.wxs */
export async function msiProjectCreated(projectFile) {
  await writeFile(projectFile, addHookClientToPath(await readFile(projectFile, 'utf8')));
}

export default msiProjectCreated;
