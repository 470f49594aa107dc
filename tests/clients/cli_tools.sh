#!/usr/bin/env bash
# rclone and s3cmd (Debian's packages) against $STRATUS_ENDPOINT: the other S3 tools people point at a private S3.
set -uo pipefail
endpoint=${STRATUS_ENDPOINT:?}
hostport=${endpoint#http://}
unset AWS_CA_BUNDLE # rclone refuses a custom CA bundle on plain http
passed=0; failed=0
check() { # name, command...
  local name=$1; shift
  if out=$("$@" 2>&1); then passed=$((passed+1)); echo "PASS tools: $name"; else failed=$((failed+1)); echo "FAIL tools: $name"; echo "$out" | sed 's/^/    /'; fi
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tree/a/b" "$work/tree/ünï cödé"
echo hi > "$work/tree/a/one"
: > "$work/tree/empty"
head -c 30000000 /dev/urandom > "$work/tree/a/b/big"
head -c 4096 /dev/urandom > "$work/tree/ünï cödé/small"

if command -v rclone >/dev/null; then
  cat > "$work/rclone.conf" <<CONF
[st]
type = s3
provider = Other
access_key_id = test
secret_access_key = test
endpoint = $endpoint
region = us-east-1
CONF
  R="rclone --config $work/rclone.conf"
  check "rclone mkdir and sync a tree up" bash -c "$R mkdir st:rclone-bucket && $R sync '$work/tree' st:rclone-bucket/t"
  check "rclone check finds no differences (sizes and MD5s)" $R check "$work/tree" st:rclone-bucket/t
  check "rclone copies it back byte-identical" bash -c "$R copy st:rclone-bucket/t '$work/rclone-back' && diff -r '$work/tree' '$work/rclone-back'"
  check "rclone delete and rmdir empty the bucket" bash -c "$R delete st:rclone-bucket && $R rmdir st:rclone-bucket && ! $R lsd st: | grep -q rclone-bucket"
else
  failed=$((failed+1)); echo "FAIL tools: rclone is missing (apt-get install -y rclone)"
fi

if command -v s3cmd >/dev/null; then
  cat > "$work/s3cfg" <<CONF
[default]
access_key = test
secret_key = test
host_base = $hostport
host_bucket = $hostport
use_https = False
CONF
  S="s3cmd -c $work/s3cfg"
  check "s3cmd mb with its default location (US)" $S mb s3://s3cmd-bucket
  check "s3cmd sync up and back byte-identical" bash -c "$S sync '$work/tree/' s3://s3cmd-bucket/t/ && mkdir '$work/s3cmd-back' && $S sync s3://s3cmd-bucket/t/ '$work/s3cmd-back/' && diff -r '$work/tree' '$work/s3cmd-back'"
  check "s3cmd du counts every object" bash -c "$S du s3://s3cmd-bucket | grep -q '4 objects'"
  check "s3cmd signurl (SigV2) works with curl" bash -c "curl -fsS \"\$($S signurl s3://s3cmd-bucket/t/a/one +300)\" | grep -qx hi"
  check "s3cmd del -r and rb remove everything" bash -c "$S del -r --force s3://s3cmd-bucket && $S rb s3://s3cmd-bucket"
else
  failed=$((failed+1)); echo "FAIL tools: s3cmd is missing (apt-get install -y s3cmd)"
fi

echo "tools: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
