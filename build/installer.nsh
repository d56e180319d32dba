; electron-builder NSIS include (nsis.include): puts the packaged hook client's folder
; ($INSTDIR\resources\bin, where the bash client lives) on PATH, so Claude Code, which runs command hooks
; through Git Bash on Windows, finds `cowork-companion-hook` by name; takes it off again on uninstall.
; The machine's PATH for an all-users install, the user's otherwise.
; PATH is edited by PowerShell through the registry API, not NSIS strings: NSIS strings are cut at
; 1024 (or 8192) characters, and writing a cut PATH back would lose entries. The raw value is read
; without expanding %VARIABLES% and written back as REG_EXPAND_SZ, so nothing else in PATH changes.
; The folder travels in an environment variable, never inside the command line: an install folder
; under a user profile can hold quotes or spaces.

!include LogicLib.nsh
!include WinMessages.nsh

!macro coworkCompanionEditPath MODE
  System::Call 'Kernel32::SetEnvironmentVariable(t "COWORK_COMPANION_HOOK_DIR", t "$INSTDIR\resources\bin")i'
  System::Call 'Kernel32::SetEnvironmentVariable(t "COWORK_COMPANION_PATH_SCOPE", t "$installMode")i'
  System::Call 'Kernel32::SetEnvironmentVariable(t "COWORK_COMPANION_PATH_MODE", t "${MODE}")i'
  nsExec::ExecToLog `"$SYSDIR\WindowsPowerShell\v1.0\powershell.exe" -NoProfile -NonInteractive -ExecutionPolicy Bypass -Command "$$dir = $$env:COWORK_COMPANION_HOOK_DIR; if ($$env:COWORK_COMPANION_PATH_SCOPE -eq 'all') { $$key = [Microsoft.Win32.Registry]::LocalMachine.OpenSubKey('SYSTEM\CurrentControlSet\Control\Session Manager\Environment', $$true) } else { $$key = [Microsoft.Win32.Registry]::CurrentUser.CreateSubKey('Environment') }; $$old = [string]$$key.GetValue('Path', '', 'DoNotExpandEnvironmentNames'); $$parts = @($$old -split ';' | Where-Object { $$_ -ne '' -and $$_ -ne $$dir }); if ($$env:COWORK_COMPANION_PATH_MODE -eq 'add') { $$parts += $$dir }; $$new = $$parts -join ';'; if ($$new -ne $$old) { $$key.SetValue('Path', $$new, 'ExpandString') }"`
  Pop $0
  ${if} $0 != 0
    DetailPrint "Cowork Companion: could not update PATH for the hook client (exit $0)."
  ${endif}
  ; Running programs (Explorer, new terminals) pick up the changed PATH.
  SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
!macroend

!macro customInstall
  !insertmacro coworkCompanionEditPath add
!macroend

!macro customUnInstall
  !insertmacro coworkCompanionEditPath remove
!macroend
