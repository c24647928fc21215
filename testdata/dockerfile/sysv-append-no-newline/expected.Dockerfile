ARG BASE=example.org/vm/rhel6-content:1
FROM ${BASE}

RUN chkconfig myapp on
LABEL owner=team-a
# >>> retarget dockerfile: AWS workload identity (generated from the Retarget config; rerun to update) >>>
RUN set -e; for f in /etc/init.d/myapp; do \
      [ -f "$f" ] || { echo "retarget: no init script $f" >&2; exit 1; }; \
      sed '/^# >>> retarget: AWS workload identity$/,/^# <<< retarget: AWS workload identity$/d' "$f" > "$f.retarget"; \
      { if head -n 1 "$f.retarget" | grep -q '^#!'; then head -n 1 "$f.retarget"; fi; \
        echo '# >>> retarget: AWS workload identity'; \
        echo 'export AWS_ROLE_ARN="arn:aws:iam::123456789012:role/myapp"'; \
        echo 'export AWS_WEB_IDENTITY_TOKEN_FILE="/kubernetes-info/secrets/eks.amazonaws.com/serviceaccount/token"'; \
        echo '# <<< retarget: AWS workload identity'; \
        if head -n 1 "$f.retarget" | grep -q '^#!'; then tail -n +2 "$f.retarget"; else cat "$f.retarget"; fi; \
      } > "$f.retarget-new"; \
      cat "$f.retarget-new" > "$f"; rm -f "$f.retarget" "$f.retarget-new"; \
    done
RUN set -e; f=/etc/init.d/retarget-kubernetes-info-secrets; mkdir -p "${f%/*}"; \
    { echo '#!/bin/sh'; \
      echo '### BEGIN INIT INFO'; \
      echo '# Provides:          retarget-kubernetes-info-secrets'; \
      echo '# Required-Start:    $local_fs'; \
      echo '# Required-Stop:'; \
      echo '# Default-Start:     S 2 3 4 5'; \
      echo '# Default-Stop:'; \
      echo '# Short-Description: link /var/run/secrets to /kubernetes-info/secrets (written by retarget)'; \
      echo '### END INIT INFO'; \
      echo '# chkconfig: 2345 01 99'; \
      echo '# description: link /var/run/secrets to /kubernetes-info/secrets (written by retarget)'; \
      echo 'case "$1" in stop|status) exit 0 ;; esac'; \
      echo '# retarget: link-kubernetes-info-secrets'; \
      echo 'src=/kubernetes-info/secrets dst=/var/run/secrets'; \
      echo 'if [ -L "$dst" ] && [ "$(readlink "$dst")" = "$src" ]; then :'; \
      echo 'elif [ -d "$dst" ]; then'; \
      echo '  for e in "$src"/* "$src"/.[!.]*; do'; \
      echo '    [ -e "$e" ] || continue'; \
      echo '    n="$dst/${e##*/}"'; \
      echo '    [ -e "$n" ] || [ -L "$n" ] || ln -s "$e" "$n" 2>/dev/null || :'; \
      echo '  done'; \
      echo 'elif [ -L "$dst" ]; then rm -f "$dst" && ln -s "$src" "$dst" 2>/dev/null || :'; \
      echo 'elif [ ! -e "$dst" ]; then mkdir -p "${dst%/*}" 2>/dev/null; ln -s "$src" "$dst" 2>/dev/null || :'; \
      echo 'fi'; \
      echo 'exit 0'; \
    } > "$f"; \
    chmod 755 "$f"; n=0; \
    for d in /etc/rcS.d /etc/rc2.d /etc/rc3.d /etc/rc4.d /etc/rc5.d; do \
      if [ -d "$d" ]; then ln -sf "$f" "$d/S01retarget-kubernetes-info-secrets"; n=$((n + 1)); fi; \
    done; \
    [ "$n" -gt 0 ] || { echo "retarget: no SysV runlevel directory (/etc/rcS.d /etc/rc2.d /etc/rc3.d /etc/rc4.d /etc/rc5.d) to start $f from" >&2; exit 1; }
# <<< retarget dockerfile <<<