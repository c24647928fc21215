# syntax=docker/dockerfile:1
# A generated-style Dockerfile for a legacy runtime (v1.8)

FROM anthos-migrate.gcr.io/v2k-run-embedded:v1.8.1 AS runtime

FROM registry.example.com/team/vm-content:2024-01-02 AS content
COPY --from=runtime / /

#	tabbed comment kept
RUN echo one \
	&& echo two

# >>> retarget dockerfile: AWS workload identity (generated from the Retarget config; rerun to update) >>>
RUN set -e; mkdir -p /etc/systemd/system.conf.d; \
    { echo '# Written by retarget: AWS workload identity for every systemd service.'; \
      echo '[Manager]'; \
      echo 'DefaultEnvironment="AWS_ROLE_ARN=arn:aws:iam::123456789012:role/app-reader" "AWS_WEB_IDENTITY_TOKEN_FILE=/kubernetes-info/secrets/eks.amazonaws.com/serviceaccount/token"'; \
    } > /etc/systemd/system.conf.d/10-default-env.conf
RUN set -e; mkdir -p /etc/tmpfiles.d; \
    echo 'L /run/secrets - - - - /kubernetes-info/secrets' > /etc/tmpfiles.d/retarget-kubernetes-info-secrets.conf
# <<< retarget dockerfile <<<
# the runtime is the entrypoint
ENTRYPOINT ["/.v2k.go"]