FROM anthos-migrate.gcr.io/v2k-run-embedded:v1.15.0 AS runtime

FROM example.org/content:1
COPY --from=runtime / /
# >>> retarget dockerfile: AWS workload identity (generated from the Retarget config; rerun to update) >>>
RUN set -e; mkdir -p /etc/systemd/system.conf.d; \
    { echo '# Written by retarget: AWS workload identity for every systemd service.'; \
      echo '[Manager]'; \
      echo 'DefaultEnvironment="AWS_ROLE_ARN=arn:aws:iam::123456789012:role/app" "AWS_WEB_IDENTITY_TOKEN_FILE=/kubernetes-info/secrets/eks.amazonaws.com/serviceaccount/token"'; \
    } > /etc/systemd/system.conf.d/10-default-env.conf
RUN set -e; mkdir -p /etc/tmpfiles.d; \
    echo 'L /run/secrets - - - - /kubernetes-info/secrets' > /etc/tmpfiles.d/retarget-kubernetes-info-secrets.conf
RUN set -e; g=$(grep '^aws-token:' /etc/group | cut -d: -f3); \
    if [ -z "$g" ]; then groupadd --gid 2000 aws-token; \
    elif [ "$g" != 2000 ]; then echo "retarget: group aws-token has gid $g, not 2000 (fsGroup)" >&2; exit 1; fi; \
    usermod -a -G aws-token app
# <<< retarget dockerfile <<<
# Migrate image includes entrypoint
ENTRYPOINT [ "/.v2k.go" ]
