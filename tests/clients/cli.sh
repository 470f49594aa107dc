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
expect_error "an operation not built yet names itself" "InvalidAction" aws --endpoint-url "$endpoint" iam list-users
expect_error "S3 answers NotImplemented in its own shape" "NotImplemented" aws --endpoint-url "$endpoint" s3api list-buckets
check "health answers" bash -c "curl -fsS $endpoint/_stratus/health | grep -q '\"status\": \"ok\"'"
check "metrics count requests" bash -c "curl -fsS $endpoint/_stratus/metrics | grep -q 'stratus_requests'"

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
