FROM example.org/apps/tomcat-content:9 AS app
USER tomcat:tomcat
WORKDIR /opt/app

# >>> retarget dockerfile: AWS workload identity (generated from the Retarget config; rerun to update) >>>
USER root
RUN set -e; f=/etc/pam.d/su; \
    [ -d "${f%/*}" ] || { echo "retarget: ${f%/*} is missing: initSystem sysv-pam needs PAM's su" >&2; exit 1; }; \
    if ! grep -Eqs '^[[:space:]]*session[[:space:]]+required[[:space:]]+pam_env[.]so[[:space:]]*$' "$f"; then \
      if [ -s "$f" ] && [ -n "$(tail -c 1 "$f")" ]; then echo >> "$f"; fi; \
      echo 'session required pam_env.so' >> "$f"; \
    fi
RUN set -e; f=/etc/environment; touch "$f"; \
    grep -Ev '^[[:space:]]*(export[[:space:]]+)?(AWS_ROLE_ARN|AWS_WEB_IDENTITY_TOKEN_FILE|AWS_REGION|AWS_DEFAULT_REGION|AWS_STS_REGIONAL_ENDPOINTS)=' "$f" > "$f.retarget" || :; \
    { echo 'AWS_ROLE_ARN=arn:aws:iam::123456789012:role/tomcat'; \
      echo 'AWS_WEB_IDENTITY_TOKEN_FILE=/var/run/secrets/eks.amazonaws.com/serviceaccount/token'; \
      echo 'AWS_REGION=us-east-2'; \
      echo 'AWS_DEFAULT_REGION=us-east-2'; \
      echo 'AWS_STS_REGIONAL_ENDPOINTS=regional'; \
    } >> "$f.retarget"; \
    cat "$f.retarget" > "$f"; rm -f "$f.retarget"
RUN set -e; g=$(grep '^eks-token:' /etc/group | cut -d: -f3); \
    if [ -z "$g" ]; then groupadd --gid 3000 eks-token; \
    elif [ "$g" != 3000 ]; then echo "retarget: group eks-token has gid $g, not 3000 (fsGroup)" >&2; exit 1; fi; \
    usermod -a -G eks-token tomcat
USER tomcat:tomcat
# <<< retarget dockerfile <<<
ENTRYPOINT ["catalina.sh", "run"]
