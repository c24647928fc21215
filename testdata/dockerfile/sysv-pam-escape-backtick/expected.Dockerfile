# escape=`

from anthos-migrate.gcr.io/v2k-run-embedded:v1.9.0 as m4a
from example.org/base/centos-content:7 as final
copy --from=m4a / /
run yum install -y `
    httpd && `
    yum clean all
# >>> retarget dockerfile: AWS workload identity (generated from the Retarget config; rerun to update) >>>
RUN set -e; f=/etc/pam.d/su; `
    [ -d "${f%/*}" ] || { echo "retarget: ${f%/*} is missing: initSystem sysv-pam needs PAM's su" >&2; exit 1; }; `
    if ! grep -Eqs '^[[:space:]]*session[[:space:]]+required[[:space:]]+pam_env[.]so[[:space:]]*$' "$f"; then `
      if [ -s "$f" ] && [ -n "$(tail -c 1 "$f")" ]; then echo >> "$f"; fi; `
      echo 'session required pam_env.so' >> "$f"; `
    fi
RUN set -e; f=/etc/environment; touch "$f"; `
    grep -Ev '^[[:space:]]*(export[[:space:]]+)?(AWS_ROLE_ARN|AWS_WEB_IDENTITY_TOKEN_FILE)=' "$f" > "$f.retarget" || :; `
    { echo 'AWS_ROLE_ARN=arn:aws:iam::123456789012:role/path/to/web'; `
      echo 'AWS_WEB_IDENTITY_TOKEN_FILE=/kubernetes-info/secrets/eks.amazonaws.com/serviceaccount/token'; `
    } >> "$f.retarget"; `
    cat "$f.retarget" > "$f"; rm -f "$f.retarget"
RUN set -e; f=/etc/init.d/retarget-kubernetes-info-secrets; mkdir -p "${f%/*}"; `
    { echo '#!/bin/sh'; `
      echo '### BEGIN INIT INFO'; `
      echo '# Provides:          retarget-kubernetes-info-secrets'; `
      echo '# Required-Start:    $local_fs'; `
      echo '# Required-Stop:'; `
      echo '# Default-Start:     S 2 3 4 5'; `
      echo '# Default-Stop:'; `
      echo '# Short-Description: link /var/run/secrets to /kubernetes-info/secrets (written by retarget)'; `
      echo '### END INIT INFO'; `
      echo '# chkconfig: 2345 01 99'; `
      echo '# description: link /var/run/secrets to /kubernetes-info/secrets (written by retarget)'; `
      echo 'case "$1" in stop|status) exit 0 ;; esac'; `
      echo '# retarget: link-kubernetes-info-secrets'; `
      echo 'src=/kubernetes-info/secrets dst=/var/run/secrets'; `
      echo 'if [ -L "$dst" ] && [ "$(readlink "$dst")" = "$src" ]; then :'; `
      echo 'elif [ -d "$dst" ]; then'; `
      echo '  for e in "$src"/* "$src"/.[!.]*; do'; `
      echo '    [ -e "$e" ] || continue'; `
      echo '    n="$dst/${e##*/}"'; `
      echo '    [ -e "$n" ] || [ -L "$n" ] || ln -s "$e" "$n" 2>/dev/null || :'; `
      echo '  done'; `
      echo 'elif [ -L "$dst" ]; then rm -f "$dst" && ln -s "$src" "$dst" 2>/dev/null || :'; `
      echo 'elif [ ! -e "$dst" ]; then mkdir -p "${dst%/*}" 2>/dev/null; ln -s "$src" "$dst" 2>/dev/null || :'; `
      echo 'fi'; `
      echo 'exit 0'; `
    } > "$f"; `
    chmod 755 "$f"; n=0; `
    for d in /etc/rcS.d /etc/rc2.d /etc/rc3.d /etc/rc4.d /etc/rc5.d; do `
      if [ -d "$d" ]; then ln -sf "$f" "$d/S01retarget-kubernetes-info-secrets"; n=$((n + 1)); fi; `
    done
RUN set -e; f=/etc/init/retarget-kubernetes-info-secrets.conf; `
    if [ -d "${f%/*}" ]; then `
      { echo '# Written by retarget: link /var/run/secrets to /kubernetes-info/secrets when init starts.'; `
        echo 'description "retarget: link /var/run/secrets to /kubernetes-info/secrets"'; `
        echo 'start on filesystem or runlevel [2345]'; `
        echo 'task'; `
        echo 'script'; `
        echo '  # retarget: link-kubernetes-info-secrets'; `
        echo '  src=/kubernetes-info/secrets dst=/var/run/secrets'; `
        echo '  if [ -L "$dst" ] && [ "$(readlink "$dst")" = "$src" ]; then :'; `
        echo '  elif [ -d "$dst" ]; then'; `
        echo '    for e in "$src"/* "$src"/.[!.]*; do'; `
        echo '      [ -e "$e" ] || continue'; `
        echo '      n="$dst/${e##*/}"'; `
        echo '      [ -e "$n" ] || [ -L "$n" ] || ln -s "$e" "$n" 2>/dev/null || :'; `
        echo '    done'; `
        echo '  elif [ -L "$dst" ]; then rm -f "$dst" && ln -s "$src" "$dst" 2>/dev/null || :'; `
        echo '  elif [ ! -e "$dst" ]; then mkdir -p "${dst%/*}" 2>/dev/null; ln -s "$src" "$dst" 2>/dev/null || :'; `
        echo '  fi'; `
        echo '  exit 0'; `
        echo 'end script'; `
      } > "$f"; `
    fi
RUN set -e; g=$(grep '^aws-token:' /etc/group | cut -d: -f3); `
    if [ -z "$g" ]; then groupadd --gid 4321 aws-token; `
    elif [ "$g" != 4321 ]; then echo "retarget: group aws-token has gid $g, not 4321 (fsGroup)" >&2; exit 1; fi; `
    usermod -a -G aws-token apache; `
    usermod -a -G aws-token svc_batch
# <<< retarget dockerfile <<<
cmd ["/.v2k.go"]
