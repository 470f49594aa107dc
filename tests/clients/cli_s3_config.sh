#!/usr/bin/env bash
# AWS CLI checks of S3 bucket configuration against $STRATUS_ENDPOINT. Each check prints PASS/FAIL; the last line counts them.
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

s3api="aws --endpoint-url $endpoint s3api"
bucket="cli-config-$RANDOM$RANDOM"
$s3api create-bucket --bucket "$bucket" >/dev/null

# CORS
expect_error "get-bucket-cors on a fresh bucket" NoSuchCORSConfiguration $s3api get-bucket-cors --bucket "$bucket"
check "put-bucket-cors then get-bucket-cors" bash -c "$s3api put-bucket-cors --bucket $bucket --cors-configuration '{\"CORSRules\":[{\"AllowedMethods\":[\"GET\"],\"AllowedOrigins\":[\"*\"],\"MaxAgeSeconds\":60}]}' && $s3api get-bucket-cors --bucket $bucket --query 'CORSRules[0].MaxAgeSeconds' --output text | grep -qx 60"
check "a preflight from any origin is allowed" bash -c "curl -s -o /dev/null -w '%{http_code}' -X OPTIONS -H 'Origin: https://x.example' -H 'Access-Control-Request-Method: GET' $endpoint/$bucket/k | grep -qx 200"
expect_error "two wildcards in an origin" InvalidRequest $s3api put-bucket-cors --bucket "$bucket" --cors-configuration '{"CORSRules":[{"AllowedMethods":["GET"],"AllowedOrigins":["*.*"]}]}'
check "delete-bucket-cors" $s3api delete-bucket-cors --bucket "$bucket"

# Public access block, ownership, ACLs
expect_error "get-public-access-block on a fresh bucket" NoSuchPublicAccessBlockConfiguration $s3api get-public-access-block --bucket "$bucket"
check "put-public-access-block then get" bash -c "$s3api put-public-access-block --bucket $bucket --public-access-block-configuration BlockPublicPolicy=true && $s3api get-public-access-block --bucket $bucket --query PublicAccessBlockConfiguration.BlockPublicPolicy --output text | grep -qx True"
expect_error "a public policy is blocked" AccessDenied $s3api put-bucket-policy --bucket "$bucket" --policy "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::$bucket/*\"}]}"
check "delete-public-access-block" $s3api delete-public-access-block --bucket "$bucket"
check "ownership controls default to BucketOwnerEnforced" bash -c "$s3api get-bucket-ownership-controls --bucket $bucket --query 'OwnershipControls.Rules[0].ObjectOwnership' --output text | grep -qx BucketOwnerEnforced"
expect_error "a public-read bucket ACL under BucketOwnerEnforced" AccessControlListNotSupported $s3api put-bucket-acl --bucket "$bucket" --acl public-read
check "put-bucket-ownership-controls ObjectWriter, then a public-read ACL" bash -c "$s3api put-bucket-ownership-controls --bucket $bucket --ownership-controls 'Rules=[{ObjectOwnership=ObjectWriter}]' && $s3api put-bucket-acl --bucket $bucket --acl public-read && $s3api get-bucket-acl --bucket $bucket --query 'Grants[?Grantee.URI==\`http://acs.amazonaws.com/groups/global/AllUsers\`].Permission' --output text | grep -qx READ"
check "an anonymous listing of the public-read bucket" bash -c "curl -s -o /dev/null -w '%{http_code}' '$endpoint/$bucket?list-type=2' | grep -qx 200"

# Default encryption
check "get-bucket-encryption answers SSE-S3 by default" bash -c "$s3api get-bucket-encryption --bucket $bucket --query 'ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm' --output text | grep -qx AES256"
check "put-bucket-encryption aws:kms, then put-object echoes it" bash -c "$s3api put-bucket-encryption --bucket $bucket --server-side-encryption-configuration '{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":{\"SSEAlgorithm\":\"aws:kms\"}}]}' && echo x > /tmp/cli-sse-\$\$ && $s3api put-object --bucket $bucket --key enc --body /tmp/cli-sse-\$\$ --query ServerSideEncryption --output text | grep -qx aws:kms"
expect_error "an unknown algorithm" MalformedXML $s3api put-bucket-encryption --bucket "$bucket" --server-side-encryption-configuration '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"ROT13"}}]}'
check "delete-bucket-encryption" $s3api delete-bucket-encryption --bucket "$bucket"

# Event notifications
check "put-bucket-notification-configuration then get" bash -c "$s3api put-bucket-notification-configuration --bucket $bucket --notification-configuration '{\"QueueConfigurations\":[{\"QueueArn\":\"arn:aws:sqs:us-east-1:000000000000:q\",\"Events\":[\"s3:ObjectCreated:*\"]}]}' && $s3api get-bucket-notification-configuration --bucket $bucket --query 'QueueConfigurations[0].QueueArn' --output text | grep -qx arn:aws:sqs:us-east-1:000000000000:q"
expect_error "a queue ARN that is not one" InvalidArgument $s3api put-bucket-notification-configuration --bucket "$bucket" --notification-configuration '{"QueueConfigurations":[{"QueueArn":"arn:aws:sns:us-east-1:000000000000:t","Events":["s3:ObjectCreated:*"]}]}'

# Lifecycle
expect_error "get-bucket-lifecycle-configuration on a fresh bucket" NoSuchLifecycleConfiguration $s3api get-bucket-lifecycle-configuration --bucket "$bucket"
check "put-bucket-lifecycle-configuration then get" bash -c "$s3api put-bucket-lifecycle-configuration --bucket $bucket --lifecycle-configuration '{\"Rules\":[{\"ID\":\"tmp\",\"Status\":\"Enabled\",\"Filter\":{\"Prefix\":\"tmp/\"},\"Expiration\":{\"Days\":1}}]}' >/dev/null && $s3api get-bucket-lifecycle-configuration --bucket $bucket --query 'Rules[0].Expiration.Days' --output text | grep -qx 1"
expect_error "two rules with one ID" InvalidArgument $s3api put-bucket-lifecycle-configuration --bucket "$bucket" --lifecycle-configuration '{"Rules":[{"ID":"a","Status":"Enabled","Filter":{},"Expiration":{"Days":1}},{"ID":"a","Status":"Enabled","Filter":{},"Expiration":{"Days":2}}]}'
check "delete-bucket-lifecycle" $s3api delete-bucket-lifecycle --bucket "$bucket"

check "aws s3 website sets the index and error documents; get-bucket-website echoes them" bash -c "aws --endpoint-url $endpoint s3 website s3://$bucket --index-document index.html --error-document error.html && $s3api get-bucket-website --bucket $bucket --query '[IndexDocument.Suffix, ErrorDocument.Key]' --output text | grep -q 'index.html.*error.html'"
expect_error "an index document suffix with a slash is InvalidArgument" InvalidArgument $s3api put-bucket-website --bucket $bucket --website-configuration 'IndexDocument={Suffix=a/index.html}'
check "delete-bucket-website removes it" bash -c "$s3api delete-bucket-website --bucket $bucket && ! $s3api get-bucket-website --bucket $bucket 2>/dev/null"

echo "cli_s3_config: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
