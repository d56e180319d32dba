#!/bin/bash
# deb postinst / rpm %post for Cowork Companion. electron-builder fills in the two macros
# (executable and sanitizedProductName, single-quote escaped) and, because this replaces its default
# script, the first half repeats what that default does (app-builder-lib/templates/linux/after-install.tpl).
# The second half is ours: the bash hook client on PATH for every user, and a root-owned home for IT's
# policy drop-ins. Runs as root; idempotent (upgrades run it again); paths may contain spaces.
# No braces around shell variables below: electron-builder would read them as macros.
set -u

app_dir='/opt/${sanitizedProductName}'
app_bin='${executable}'

# ---- electron-builder's default steps -------------------------------------------------------------
if type update-alternatives >/dev/null 2>&1; then
  # A plain link left by an older install without update-alternatives would block it.
  if [ -L "/usr/bin/$app_bin" ] && [ -e "/usr/bin/$app_bin" ] && [ "$(readlink "/usr/bin/$app_bin")" != "/etc/alternatives/$app_bin" ]; then
    rm -f "/usr/bin/$app_bin"
  fi
  update-alternatives --install "/usr/bin/$app_bin" "$app_bin" "$app_dir/$app_bin" 100 || ln -sfn "$app_dir/$app_bin" "/usr/bin/$app_bin"
else
  ln -sfn "$app_dir/$app_bin" "/usr/bin/$app_bin"
fi

# SUID chrome-sandbox only where unprivileged user namespaces do not work.
if ! { [ -L /proc/self/ns/user ] && unshare --user true; } 2>/dev/null; then
  chmod 4755 "$app_dir/chrome-sandbox" || true
else
  chmod 0755 "$app_dir/chrome-sandbox" || true
fi

if type update-mime-database >/dev/null 2>&1; then
  update-mime-database /usr/share/mime || true
fi
if type update-desktop-database >/dev/null 2>&1; then
  update-desktop-database /usr/share/applications || true
fi

# AppArmor profile (Ubuntu 24+), only where this AppArmor accepts it (a dry run first).
if apparmor_status --enabled >/dev/null 2>&1; then
  apparmor_source="$app_dir/resources/apparmor-profile"
  apparmor_target="/etc/apparmor.d/$app_bin"
  if apparmor_parser --skip-kernel-load --debug "$apparmor_source" >/dev/null 2>&1; then
    cp -f "$apparmor_source" "$apparmor_target"
    if ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; } && type apparmor_parser >/dev/null 2>&1; then
      apparmor_parser --replace --write-cache --skip-read-cache "$apparmor_target" || true
    fi
  else
    echo "Skipping the AppArmor profile: this AppArmor does not accept it."
  fi
fi

# ---- Cowork Companion: hook client on PATH ---------------------------------------------------------
# /usr/bin/cowork-companion-hook points at the packaged client: the path Claude Code's generated
# managed settings run (by that full path, never by name: a user's PATH could put another first). Only a root-owned regular file, writable by root alone, is linked: a link to
# anything else would run someone else's code as every user's hook.
hook_client="$app_dir/resources/bin/cowork-companion-hook"
hook_link=/usr/bin/cowork-companion-hook
if [ -f "$hook_client" ] && [ ! -L "$hook_client" ] && [ "$(stat -c %u "$hook_client")" = 0 ] \
  && [ -z "$(find "$hook_client" -perm /022 -print)" ]; then
  chmod 0755 "$hook_client"
  if [ -L "$hook_link" ] || [ ! -e "$hook_link" ]; then
    # -n: replace the link itself, never write through it.
    ln -sfn "$hook_client" "$hook_link"
  else
    echo "cowork-companion: $hook_link exists and is not a link; left as it is (remove it and reinstall to use the packaged hook client)." >&2
  fi
else
  echo "cowork-companion: $hook_client is missing or not a root-owned file; the hook client was not put on PATH." >&2
fi

# ---- Cowork Companion: a trusted home for IT's policy drop-ins -------------------------------------
# The companion reads /etc/cowork-companion/policy.json and policy.d/*.json only when root owns them
# and nobody else can write them. Created only when absent: an existing folder is IT's, left as it is.
policy_root=/etc/cowork-companion
for dir in "$policy_root" "$policy_root/policy.d"; do
  if [ -L "$dir" ]; then
    echo "cowork-companion: $dir is a symbolic link; left as it is." >&2
    break
  elif [ ! -e "$dir" ]; then
    install -d -o root -g root -m 0755 "$dir"
  fi
done

exit 0
