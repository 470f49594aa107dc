#!/usr/bin/env bash
# AWS CLI checks against $STRATUS_ENDPOINT. Each check prints PASS/FAIL; the last line counts them.
set -uo pipefail
endpoint=${STRATUS_ENDPOINT:?}
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_EC2_METADATA_DISABLED=true
passed=0; failed=0
check() { # name, command..., expects success
  local name=$1; shift
  if out=$("$@" 2>&1); then passed=$((passed+1)); echo "PASS cli: $name"; else failed=$((failed+1)); echo "FAIL cli: $name"; echo "$out" | sed 's/^/    /'; fi
}
expect_error() { # name, code, command...
  local name=$1 code=$2; shift 2
  if out=$("$@" 2>&1); then failed=$((failed+1)); echo "FAIL cli: $name (succeeded, expected $code)"; echo "$out" | sed 's/^/    /'
  elif grep -q "$code" <<<"$out"; then passed=$((passed+1)); echo "PASS cli: $name"
  else failed=$((failed+1)); echo "FAIL cli: $name (expected $code)"; echo "$out" | sed 's/^/    /'; fi
}

check "get-caller-identity returns the root of the default account" bash -c "aws --endpoint-url $endpoint sts get-caller-identity --query Arn --output text | grep -qx 'arn:aws:iam::000000000000:root'"
check "the second account's key is its own root" bash -c "AWS_ACCESS_KEY_ID=AKIASECONDACCOUNT01 AWS_SECRET_ACCESS_KEY=second-secret aws --endpoint-url $endpoint sts get-caller-identity --query Account --output text | grep -qx 111111111111"
expect_error "a wrong secret is SignatureDoesNotMatch" SignatureDoesNotMatch env AWS_SECRET_ACCESS_KEY=wrong aws --endpoint-url "$endpoint" sts get-caller-identity
expect_error "an unknown key is InvalidClientTokenId" InvalidClientTokenId env AWS_ACCESS_KEY_ID=AKIANOSUCHKEY AWS_SECRET_ACCESS_KEY=x aws --endpoint-url "$endpoint" sts get-caller-identity
if command -v faketime >/dev/null; then
  expect_error "a request signed 20 minutes ago is rejected" "Signature expired" faketime -f "-20m" aws --endpoint-url "$endpoint" sts get-caller-identity
else
  failed=$((failed+1)); echo "FAIL cli: faketime is missing (apt-get install -y faketime)"
fi
expect_error "an operation not built yet names itself" "InvalidAction" aws --endpoint-url "$endpoint" iam list-saml-providers
check "iam create-user, then list-users shows it" bash -c "aws --endpoint-url $endpoint iam create-user --user-name cli-user >/dev/null && aws --endpoint-url $endpoint iam list-users --query 'Users[].UserName' --output text | grep -qw cli-user"
expect_error "S3 answers NotImplemented in its own shape" "NotImplemented" aws --endpoint-url "$endpoint" s3api get-bucket-analytics-configuration --bucket any --id x

# S3 with the high-level commands: a tree of files from 0 bytes to 100 MiB (multipart), copied up, synced, copied back.
s3="aws --endpoint-url $endpoint s3"
s3api="aws --endpoint-url $endpoint s3api"
tree=$(mktemp -d); back=$(mktemp -d)
mkdir -p "$tree/dir/sub" "$tree/üñí cödé"
: > "$tree/empty"
head -c 1 /dev/urandom > "$tree/one"
head -c 130000 /dev/urandom > "$tree/dir/inline-edge"
head -c 5000000 /dev/urandom > "$tree/dir/sub/five-mb"
head -c 104857600 /dev/urandom > "$tree/hundred-mb"
echo "spaces and utf-8" > "$tree/üñí cödé/file name.txt"
check "s3 mb makes a bucket" $s3 mb s3://cli-bucket
check "s3 cp --recursive uploads a tree up to 100 MiB" $s3 cp --recursive --only-show-errors "$tree" s3://cli-bucket/tree
check "s3 sync finds nothing to do on an identical tree" bash -c "[ -z \"\$($s3 sync --dryrun '$tree' s3://cli-bucket/tree)\" ]"
check "s3 cp --recursive downloads it byte-identical" bash -c "$s3 cp --recursive --only-show-errors s3://cli-bucket/tree '$back' && diff -r '$tree' '$back'"
check "s3 ls lists the tree recursively" bash -c "[ \"\$($s3 ls --recursive s3://cli-bucket/tree/ | wc -l)\" = 6 ]"
check "s3api head-object shows the multipart ETag" bash -c "$s3api head-object --bucket cli-bucket --key tree/hundred-mb --query ETag --output text | grep -q -- '-[0-9]*\"\$'"
expect_error "s3api get-object of a missing key is NoSuchKey" NoSuchKey $s3api get-object --bucket cli-bucket --key nope /dev/null
expect_error "s3 rb of a non-empty bucket is BucketNotEmpty" BucketNotEmpty $s3 rb s3://cli-bucket
# This CLI presigns with SigV2 in us-east-1 unless told s3v4; S3 (only S3, as in AWS) verifies both.
conf=$(mktemp); printf '[default]\ns3 =\n  signature_version = s3v4\n' > "$conf"
check "s3 presign (s3v4) gives a URL plain curl can GET" bash -c "curl -fsS \"\$(AWS_CONFIG_FILE=$conf $s3 presign s3://cli-bucket/tree/one --expires-in 300)\" | cmp - '$tree/one'"
check "s3 presign (the CLI's default, SigV2) gives a URL plain curl can GET" bash -c "curl -fsS \"\$($s3 presign s3://cli-bucket/tree/one)\" | cmp - '$tree/one'"
check "an expired SigV2 presigned URL is AccessDenied" bash -c "url=\$($s3 presign s3://cli-bucket/tree/one --expires-in 1); sleep 2; curl -sS \"\$url\" | grep -q 'Request has expired'"
check "s3 rm --recursive then rb removes everything" bash -c "$s3 rm --recursive --only-show-errors s3://cli-bucket && $s3 rb s3://cli-bucket"
rm -rf "$tree" "$back"
check "health answers" bash -c "curl -fsS $endpoint/_stratus/health | grep -q '\"status\": \"ok\"'"
check "metrics count requests" bash -c "curl -fsS $endpoint/_stratus/metrics | grep -q 'stratus_requests'"

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
