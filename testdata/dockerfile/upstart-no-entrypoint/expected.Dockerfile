FROM ubuntu:14.04
RUN apt-get update
# services are Upstart jobs
# >>> retarget dockerfile: AWS workload identity (generated from the Retarget config; rerun to update) >>>
RUN set -e; for f in /etc/init/worker.conf /etc/init/web-api.conf; do \
      [ -f "$f" ] || { echo "retarget: no Upstart job $f" >&2; exit 1; }; \
      sed '/^# >>> retarget: AWS workload identity$/,/^# <<< retarget: AWS workload identity$/d' "$f" > "$f.retarget"; \
      if [ -s "$f.retarget" ] && [ -n "$(tail -c 1 "$f.retarget")" ]; then echo >> "$f.retarget"; fi; \
      { echo '# >>> retarget: AWS workload identity'; \
        echo 'env AWS_ROLE_ARN=arn:aws:iam::123456789012:role/worker'; \
        echo 'env AWS_WEB_IDENTITY_TOKEN_FILE=/var/run/secrets/eks.amazonaws.com/serviceaccount/token'; \
        echo 'env AWS_REGION=eu-west-1'; \
        echo 'env AWS_DEFAULT_REGION=eu-west-1'; \
        echo '# <<< retarget: AWS workload identity'; \
      } >> "$f.retarget"; \
      cat "$f.retarget" > "$f"; rm -f "$f.retarget"; \
    done
# <<< retarget dockerfile <<<
