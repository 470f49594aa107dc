#!/usr/bin/env bash
# AWS CLI checks of S3 versioning, object tags and object attributes against $STRATUS_ENDPOINT.
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
bucket=cli-versions-$RANDOM$RANDOM
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo one > "$work/one"; echo two > "$work/two"

check "create-bucket and put-bucket-versioning Enabled" bash -c "$s3api create-bucket --bucket $bucket >/dev/null && $s3api put-bucket-versioning --bucket $bucket --versioning-configuration Status=Enabled"
check "get-bucket-versioning says Enabled" bash -c "$s3api get-bucket-versioning --bucket $bucket --query Status --output text | grep -qx Enabled"
v1=$($s3api put-object --bucket $bucket --key doc --body "$work/one" --query VersionId --output text)
v2=$($s3api put-object --bucket $bucket --key doc --body "$work/two" --query VersionId --output text)
check "two puts make two version ids" bash -c "[ -n '$v1' ] && [ '$v1' != '$v2' ] && [ '$v1' != None ]"
check "get-object --version-id reads the old version" bash -c "$s3api get-object --bucket $bucket --key doc --version-id '$v1' $work/out >/dev/null && diff $work/one $work/out"
check "list-object-versions lists both, newest first" bash -c "[ \"\$($s3api list-object-versions --bucket $bucket --query 'Versions[].VersionId' --output text)\" = \"$v2	$v1\" ]"
marker=$($s3api delete-object --bucket $bucket --key doc --query VersionId --output text)
expect_error "get-object behind a delete marker is NoSuchKey" NoSuchKey $s3api get-object --bucket $bucket --key doc "$work/out"
check "list-object-versions shows the marker as latest" bash -c "$s3api list-object-versions --bucket $bucket --query 'DeleteMarkers[?IsLatest].VersionId' --output text | grep -qx '$marker'"
check "deleting the marker restores the object" bash -c "$s3api delete-object --bucket $bucket --key doc --version-id '$marker' >/dev/null && $s3api get-object --bucket $bucket --key doc $work/out >/dev/null && diff $work/two $work/out"
expect_error "a malformed version id is InvalidArgument" InvalidArgument $s3api get-object --bucket $bucket --key doc --version-id nope "$work/out"
expect_error "a bucket of versions cannot be removed" BucketNotEmpty $s3api delete-bucket --bucket $bucket
check "put-bucket-versioning Suspended" bash -c "$s3api put-bucket-versioning --bucket $bucket --versioning-configuration Status=Suspended && $s3api get-bucket-versioning --bucket $bucket --query Status --output text | grep -qx Suspended"
check "a put while suspended is the null version" bash -c "$s3api put-object --bucket $bucket --key doc --body $work/one >/dev/null && $s3api head-object --bucket $bucket --key doc --query VersionId --output text | grep -qx null"
check "put-object-tagging then get-object-tagging" bash -c "$s3api put-object-tagging --bucket $bucket --key doc --tagging 'TagSet=[{Key=team,Value=storage}]' >/dev/null && $s3api get-object-tagging --bucket $bucket --key doc --query 'TagSet[0].Value' --output text | grep -qx storage"
expect_error "eleven tags are BadRequest" BadRequest $s3api put-object-tagging --bucket $bucket --key doc --tagging "TagSet=[$(for i in $(seq 1 11); do printf '{Key=k%s,Value=v},' $i; done | sed 's/,$//')]"
check "get-object-attributes gives the size" bash -c "$s3api get-object-attributes --bucket $bucket --key doc --object-attributes ObjectSize ETag --query ObjectSize --output text | grep -qx 4"
expect_error "get-object-attributes with an unknown attribute is refused" "ObjectAttributes\|InvalidArgument" $s3api get-object-attributes --bucket $bucket --key doc --object-attributes Colour
upload=$($s3api create-multipart-upload --bucket $bucket --key assembled --query UploadId --output text)
check "upload-part-copy copies a byte range" bash -c "etag=\$($s3api upload-part-copy --bucket $bucket --key assembled --upload-id '$upload' --part-number 1 --copy-source $bucket/doc --copy-source-range bytes=0-1 --query CopyPartResult.ETag --output text) && $s3api complete-multipart-upload --bucket $bucket --key assembled --upload-id '$upload' --multipart-upload \"Parts=[{PartNumber=1,ETag=\$etag}]\" >/dev/null && $s3api get-object --bucket $bucket --key assembled $work/out >/dev/null && [ \"\$(cat $work/out)\" = on ]"
check "an object stored as GLACIER says so on head-object" bash -c "$s3api put-object --bucket $bucket --key frozen --body $work/one --storage-class GLACIER >/dev/null && $s3api head-object --bucket $bucket --key frozen --query StorageClass --output text | grep -qx GLACIER"
expect_error "get-object of an unrestored GLACIER object is InvalidObjectState" InvalidObjectState $s3api get-object --bucket $bucket --key frozen "$work/out"
check "restore-object, then the restored copy reads and head-object shows x-amz-restore" bash -c "$s3api restore-object --bucket $bucket --key frozen --restore-request 'Days=1,GlacierJobParameters={Tier=Bulk}' && $s3api get-object --bucket $bucket --key frozen $work/out >/dev/null && diff $work/one $work/out && $s3api head-object --bucket $bucket --key frozen --query Restore --output text | grep -q 'ongoing-request=\"false\"'"
locked=cli-locked-$RANDOM$RANDOM
check "create-bucket --object-lock-enabled-for-bucket, with a default GOVERNANCE retention" bash -c "$s3api create-bucket --bucket $locked --object-lock-enabled-for-bucket >/dev/null && $s3api put-object-lock-configuration --bucket $locked --object-lock-configuration 'ObjectLockEnabled=Enabled,Rule={DefaultRetention={Mode=GOVERNANCE,Days=1}}' && $s3api get-object-lock-configuration --bucket $locked --query ObjectLockConfiguration.Rule.DefaultRetention.Mode --output text | grep -qx GOVERNANCE"
lockedv=$($s3api put-object --bucket $locked --key doc --body "$work/one" --query VersionId --output text)
check "get-object-retention shows the default retention" bash -c "$s3api get-object-retention --bucket $locked --key doc --query Retention.Mode --output text | grep -qx GOVERNANCE"
expect_error "delete-object of a retained version is AccessDenied" AccessDenied $s3api delete-object --bucket $locked --key doc --version-id "$lockedv"
check "delete-object --bypass-governance-retention removes it" $s3api delete-object --bucket $locked --key doc --version-id "$lockedv" --bypass-governance-retention

echo "cli s3 versioning: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
