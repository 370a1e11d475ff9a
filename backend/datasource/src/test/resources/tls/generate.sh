#!/usr/bin/env bash
# TEST-ONLY key material for the TLS unit tests (PemTlsTest). Nothing here protects anything: the keys are
# public by being in this repository. Re-create with: bash generate.sh (needs openssl 3).
set -eu
cd "$(dirname "$0")"
days=36500
ext() { printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=%s\nsubjectAltName=%s\n' "$1" "$2"; }

# two unrelated CAs: "ca" signs everything, "other-ca" signs nothing we use (for "not trusted" tests)
for ca in ca other-ca; do
  openssl req -x509 -newkey rsa:2048 -nodes -keyout $ca.key -out $ca.pem -days $days -subj "/CN=test $ca" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
done

# server: valid for localhost and 127.0.0.1 only (host name checks use another name to fail)
openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=localhost" 2>/dev/null
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days $days \
  -extfile <(ext serverAuth "DNS:localhost,DNS:node.test,IP:127.0.0.1") 2>/dev/null

# RSA client: PKCS#8 (BEGIN PRIVATE KEY) and PKCS#1 (BEGIN RSA PRIVATE KEY) forms of the same key
openssl req -newkey rsa:2048 -nodes -keyout client-rsa.pkcs8.key -out client-rsa.csr -subj "/CN=grafana" 2>/dev/null
openssl x509 -req -in client-rsa.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client-rsa.pem -days $days \
  -extfile <(ext clientAuth "DNS:grafana") 2>/dev/null
openssl pkey -in client-rsa.pkcs8.key -traditional -out client-rsa.pkcs1.key 2>/dev/null \
  || openssl rsa -in client-rsa.pkcs8.key -traditional -out client-rsa.pkcs1.key

# EC client (P-256): SEC1 (BEGIN EC PRIVATE KEY, as "openssl ecparam -genkey" writes it) and PKCS#8
openssl ecparam -name prime256v1 -genkey -noout -out client-ec.sec1.key
openssl pkcs8 -topk8 -nocrypt -in client-ec.sec1.key -out client-ec.pkcs8.key
openssl req -new -key client-ec.sec1.key -out client-ec.csr -subj "/CN=grafana-ec"
openssl x509 -req -in client-ec.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client-ec.pem -days $days \
  -extfile <(ext clientAuth "DNS:grafana") 2>/dev/null

# a password-protected key (not supported: the error must say so)
openssl pkcs8 -topk8 -in client-rsa.pkcs8.key -passout pass:secret -out client-rsa.encrypted.key

rm -f ./*.csr ./*.srl ca.key other-ca.key
