#!/bin/bash
# deb postrm / rpm %postun for Cowork Companion (electron-builder fills in the two macros). It also
# runs on upgrades (rpm runs the old package's %postun after the new %post), so a link is removed only
# when what it points to is gone: an upgrade keeps the new package's links.
# /etc/cowork-companion is never removed: it holds IT's policy.
# No braces around shell variables below: electron-builder would read them as macros.
set -u

app_dir='/opt/${sanitizedProductName}'
app_bin='${executable}'

# ---- electron-builder's default steps (app-builder-lib/templates/linux/after-remove.tpl) ----------
if [ ! -e "$app_dir/$app_bin" ]; then
  if type update-alternatives >/dev/null 2>&1; then
    update-alternatives --remove "$app_bin" "$app_dir/$app_bin" || true
  elif [ -L "/usr/bin/$app_bin" ]; then
    rm -f "/usr/bin/$app_bin"
  fi

  apparmor_dest="/etc/apparmor.d/$app_bin"
  if [ -f "$apparmor_dest" ]; then
    if apparmor_status --enabled >/dev/null 2>&1; then
      if ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; } && type apparmor_parser >/dev/null 2>&1; then
        apparmor_parser --remove "$apparmor_dest" || true
      fi
    fi
    rm -f "$apparmor_dest"
  fi
fi

# ---- Cowork Companion: hook client link ------------------------------------------------------------
hook_client="$app_dir/resources/bin/cowork-companion-hook"
hook_link=/usr/bin/cowork-companion-hook
if [ -L "$hook_link" ] && [ "$(readlink "$hook_link")" = "$hook_client" ] && [ ! -e "$hook_client" ]; then
  rm -f "$hook_link"
fi

exit 0
