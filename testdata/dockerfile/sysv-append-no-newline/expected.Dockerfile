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
# <<< retarget dockerfile <<<