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
      echo 'AWS_WEB_IDENTITY_TOKEN_FILE=/var/run/secrets/eks.amazonaws.com/serviceaccount/token'; `
    } >> "$f.retarget"; `
    cat "$f.retarget" > "$f"; rm -f "$f.retarget"
RUN set -e; g=$(grep '^aws-token:' /etc/group | cut -d: -f3); `
    if [ -z "$g" ]; then groupadd --gid 4321 aws-token; `
    elif [ "$g" != 4321 ]; then echo "retarget: group aws-token has gid $g, not 4321 (fsGroup)" >&2; exit 1; fi; `
    usermod -a -G aws-token apache; `
    usermod -a -G aws-token svc_batch
# <<< retarget dockerfile <<<
cmd ["/.v2k.go"]
