# shellcheck shell=bash
# Sourced by the scripts that run API servers for the tests (test/support/api-server.sh,
# test/cluster/cluster.sh): certificates made with openssl, in the current directory.
# Each function returns non-zero, openssl's output on stderr, when openssl fails.
#
#   pki_ca                              ca.key, ca.crt: a CA for two days
#   pki_key NAME                        NAME.key: a P-256 key (also a service-account key)
#   pki_sign NAME SUBJECT EXTENSIONS    NAME.key, NAME.crt: signed by ca.key for two days;
#                                       SUBJECT as /O=group/CN=user, EXTENSIONS as lines
#                                       of an openssl extension file
#   pki_kubeconfig FILE SERVER NAME     FILE: a kubeconfig for SERVER (https://...) that
#                                       trusts ca.crt and presents NAME.crt
pki_openssl() {
  local out
  out=$(openssl "$@" 2>&1) || { echo "openssl $1: $out" >&2; return 1; }
}

pki_key() {
  pki_openssl ecparam -name prime256v1 -genkey -noout -out "$1.key"
}

pki_ca() {
  pki_key ca && pki_openssl req -x509 -new -key ca.key -out ca.crt -days 2 -subj /CN=sidecar-first-test-ca
}

pki_sign() {
  pki_key "$1" || return
  pki_openssl req -new -key "$1.key" -out "$1.csr" -subj "$2" || return
  printf '%s\n' "$3" >"$1.ext"
  pki_openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -out "$1.crt" -extfile "$1.ext"
}

pki_kubeconfig() {
  cat >"$1" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: test
  cluster: {server: "$2", certificate-authority: "$PWD/ca.crt"}
users:
- name: $3
  user: {client-certificate: "$PWD/$3.crt", client-key: "$PWD/$3.key"}
contexts:
- name: test
  context: {cluster: test, user: $3}
current-context: test
YAML
}
