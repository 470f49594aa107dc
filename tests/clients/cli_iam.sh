#!/usr/bin/env bash
# AWS CLI checks of IAM roles, policies, groups and STS AssumeRole against $STRATUS_ENDPOINT.
set -uo pipefail
endpoint=${STRATUS_ENDPOINT:?}
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_EC2_METADATA_DISABLED=true
unset AWS_SESSION_TOKEN
passed=0; failed=0
check() { # name, command..., expects success
  local name=$1; shift
  if out=$("$@" 2>&1); then passed=$((passed+1)); echo "PASS cli_iam: $name"; else failed=$((failed+1)); echo "FAIL cli_iam: $name"; echo "$out" | sed 's/^/    /'; fi
}
expect_error() { # name, code, command...
  local name=$1 code=$2; shift 2
  if out=$("$@" 2>&1); then failed=$((failed+1)); echo "FAIL cli_iam: $name (succeeded, expected $code)"; echo "$out" | sed 's/^/    /'
  elif grep -q "$code" <<<"$out"; then passed=$((passed+1)); echo "PASS cli_iam: $name"
  else failed=$((failed+1)); echo "FAIL cli_iam: $name (expected $code)"; echo "$out" | sed 's/^/    /'; fi
}
iam="aws --endpoint-url $endpoint iam"
sts="aws --endpoint-url $endpoint sts"
suffix=$RANDOM$RANDOM
role=cli-role-$suffix
trust='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"ext-1"}}}]}'
dir=$(mktemp -d)
echo "$trust" > "$dir/trust.json"

check "create-role with a path reads the trust policy from a file" bash -c "$iam create-role --role-name $role --path /cli/ --assume-role-policy-document file://$dir/trust.json --query Role.Arn --output text | grep -qx 'arn:aws:iam::000000000000:role/cli/$role'"
check "get-role returns the trust policy decoded" bash -c "$iam get-role --role-name $role --query 'Role.AssumeRolePolicyDocument.Statement[0].Action' --output text | grep -qx sts:AssumeRole"
check "list-roles --path-prefix finds it" bash -c "$iam list-roles --path-prefix /cli/ --query 'Roles[].RoleName' --output text | grep -qw $role"
expect_error "create-role twice is EntityAlreadyExists" EntityAlreadyExists $iam create-role --role-name $role --assume-role-policy-document file://$dir/trust.json
expect_error "a trust policy with a Resource is MalformedPolicyDocument" MalformedPolicyDocument $iam create-role --role-name bad-$suffix --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Resource":"*"}]}'
expect_error "max-session-duration above 12 hours is ValidationError" ValidationError $iam create-role --role-name bad-$suffix --assume-role-policy-document file://$dir/trust.json --max-session-duration 50000
check "attach an AWS managed policy to the role" $iam attach-role-policy --role-name $role --policy-arn arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess
check "list-attached-role-policies shows it" bash -c "$iam list-attached-role-policies --role-name $role --query 'AttachedPolicies[].PolicyName' --output text | grep -qx AmazonS3ReadOnlyAccess"
expect_error "assume-role without the external id is AccessDenied" AccessDenied $sts assume-role --role-arn arn:aws:iam::000000000000:role/cli/$role --role-session-name cli
check "assume-role with the external id returns an assumed-role ARN" bash -c "$sts assume-role --role-arn arn:aws:iam::000000000000:role/cli/$role --role-session-name cli --external-id ext-1 --output json > $dir/creds.json && grep -q 'assumed-role/$role/cli' $dir/creds.json"
session() { AWS_ACCESS_KEY_ID=$(python3 -c "import json;print(json.load(open('$dir/creds.json'))['Credentials']['AccessKeyId'])") \
  AWS_SECRET_ACCESS_KEY=$(python3 -c "import json;print(json.load(open('$dir/creds.json'))['Credentials']['SecretAccessKey'])") \
  AWS_SESSION_TOKEN=$(python3 -c "import json;print(json.load(open('$dir/creds.json'))['Credentials']['SessionToken'])") "$@"; }
check "the session is the assumed role in get-caller-identity" bash -c "$(declare -f session); dir=$dir; session aws --endpoint-url $endpoint sts get-caller-identity --query Arn --output text | grep -qx 'arn:aws:sts::000000000000:assumed-role/$role/cli'"
check "the read-only session lists buckets" session aws --endpoint-url "$endpoint" s3api list-buckets
expect_error "the read-only session cannot create a bucket" AccessDenied session aws --endpoint-url "$endpoint" s3api create-bucket --bucket cli-denied-$suffix
expect_error "a session longer than the role's maximum is ValidationError" ValidationError $sts assume-role --role-arn arn:aws:iam::000000000000:role/cli/$role --role-session-name cli --external-id ext-1 --duration-seconds 7200
expect_error "delete-role with an attached policy is DeleteConflict" DeleteConflict $iam delete-role --role-name $role
check "detach and delete the role" bash -c "$iam detach-role-policy --role-name $role --policy-arn arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess && $iam delete-role --role-name $role"

policy_arn=arn:aws:iam::000000000000:policy/cli-policy-$suffix
check "create-policy and a second version as default" bash -c "$iam create-policy --policy-name cli-policy-$suffix --policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}' >/dev/null && $iam create-policy-version --policy-arn $policy_arn --set-as-default --policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}' --query PolicyVersion.VersionId --output text | grep -qx v2"
expect_error "deleting the default version is DeleteConflict" DeleteConflict $iam delete-policy-version --policy-arn $policy_arn --version-id v2
check "list-policies --scope Local shows the policy" bash -c "$iam list-policies --scope Local --query 'Policies[].PolicyName' --output text | grep -qw cli-policy-$suffix"
check "delete version v1, then the policy" bash -c "$iam delete-policy-version --policy-arn $policy_arn --version-id v1 && $iam delete-policy --policy-arn $policy_arn"

group=cli-group-$suffix
user=cli-member-$suffix
check "create a group and add a user" bash -c "$iam create-group --group-name $group >/dev/null && $iam create-user --user-name $user >/dev/null && $iam add-user-to-group --group-name $group --user-name $user"
check "get-group lists the member" bash -c "$iam get-group --group-name $group --query 'Users[].UserName' --output text | grep -qx $user"
expect_error "delete-group with members is DeleteConflict" DeleteConflict $iam delete-group --group-name $group
expect_error "delete-user in a group is DeleteConflict" DeleteConflict $iam delete-user --user-name $user
check "remove the member, delete both" bash -c "$iam remove-user-from-group --group-name $group --user-name $user && $iam delete-group --group-name $group && $iam delete-user --user-name $user"
check "get-account-authorization-details answers" $iam get-account-authorization-details --filter Role
rm -rf "$dir"

echo "cli_iam: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
