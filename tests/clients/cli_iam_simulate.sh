#!/usr/bin/env bash
# The IAM policy simulator with the AWS CLI against $STRATUS_ENDPOINT. Each check prints PASS/FAIL; the last line counts them.
set -uo pipefail
endpoint=${STRATUS_ENDPOINT:?}
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_EC2_METADATA_DISABLED=true
passed=0; failed=0
check() { # name, command...
  local name=$1; shift
  if out=$("$@" 2>&1); then passed=$((passed+1)); echo "PASS cli_iam_simulate: $name"; else failed=$((failed+1)); echo "FAIL cli_iam_simulate: $name"; echo "$out" | sed 's/^/    /'; fi
}
expect_error() { # name, code, command...
  local name=$1 code=$2; shift 2
  if out=$("$@" 2>&1); then failed=$((failed+1)); echo "FAIL cli_iam_simulate: $name (succeeded, expected $code)"; echo "$out" | sed 's/^/    /'
  elif grep -q "$code" <<<"$out"; then passed=$((passed+1)); echo "PASS cli_iam_simulate: $name"
  else failed=$((failed+1)); echo "FAIL cli_iam_simulate: $name (expected $code)"; echo "$out" | sed 's/^/    /'; fi
}
iam="aws --endpoint-url $endpoint iam"
user="sim-$RANDOM$RANDOM"
read_only='{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":"*"},{"Sid":"NoSecrets","Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::vault/*"}]}'
prefix_policy='{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b","Condition":{"StringLike":{"s3:prefix":"home/*"}}}}'

$iam create-user --user-name "$user" >/dev/null
$iam put-user-policy --user-name "$user" --policy-name read --policy-document "$read_only"
arn=$($iam get-user --user-name "$user" --query User.Arn --output text)

check "simulate-principal-policy allows what the user's policy allows" bash -c \
  "$iam simulate-principal-policy --policy-source-arn $arn --action-names s3:GetObject --resource-arns arn:aws:s3:::data/a --query 'EvaluationResults[0].EvalDecision' --output text | grep -qx allowed"
check "an explicit Deny is explicitDeny and names the deciding statement of the user's policy" bash -c \
  "$iam simulate-principal-policy --policy-source-arn $arn --action-names s3:GetObject --resource-arns arn:aws:s3:::vault/key --query 'EvaluationResults[0].[EvalDecision,MatchedStatements[0].SourcePolicyId,MatchedStatements[0].SourcePolicyType]' --output text | grep -qP '^explicitDeny\tread\tuser$'"
check "an action nothing allows is implicitDeny" bash -c \
  "$iam simulate-principal-policy --policy-source-arn $arn --action-names s3:PutObject --query 'EvaluationResults[0].EvalDecision' --output text | grep -qx implicitDeny"
check "every action is evaluated on every resource" bash -c \
  "test \$($iam simulate-principal-policy --policy-source-arn $arn --action-names s3:GetObject s3:PutObject --resource-arns arn:aws:s3:::a/1 arn:aws:s3:::b/2 --query 'length(EvaluationResults)' --output text) = 4"
check "simulate-custom-policy reports the statement's position in the input" bash -c \
  "$iam simulate-custom-policy --policy-input-list '$read_only' --action-names s3:ListBucket --query 'EvaluationResults[0].MatchedStatements[0].[SourcePolicyId,StartPosition.Line,StartPosition.Column]' --output text | grep -qP '^PolicyInputList.1\t1\t38$'"
check "a condition key the context does not supply is a MissingContextValue" bash -c \
  "$iam simulate-custom-policy --policy-input-list '$prefix_policy' --action-names s3:ListBucket --query 'EvaluationResults[0].[EvalDecision,MissingContextValues[0]]' --output text | grep -qP '^implicitDeny\ts3:prefix$'"
check "context entries feed the conditions" bash -c \
  "$iam simulate-custom-policy --policy-input-list '$prefix_policy' --action-names s3:ListBucket --resource-arns arn:aws:s3:::b --context-entries ContextKeyName=s3:prefix,ContextKeyValues=home/alice/,ContextKeyType=string --query 'EvaluationResults[0].EvalDecision' --output text | grep -qx allowed"
check "a permissions boundary narrows and says so" bash -c \
  "$iam simulate-custom-policy --policy-input-list '$read_only' --permissions-boundary-policy-input-list '{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"*\"}}' --action-names s3:GetObject --query 'EvaluationResults[0].[EvalDecision,PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary]' --output text | grep -qP '^implicitDeny\tFalse$'"
check "a resource policy allowing the caller grants, cross-account needs both sides" bash -c \
  "$iam simulate-custom-policy --policy-input-list '$read_only' --resource-policy '{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"$arn\"},\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}}' --caller-arn $arn --resource-owner arn:aws:iam::111111111111:root --action-names s3:GetObject --resource-arns arn:aws:s3:::partner/x --query 'EvaluationResults[0].[EvalDecision,EvalDecisionDetails.\"Resource Policy\"]' --output text | grep -qP '^allowed\tallowed$'"
check "get-context-keys-for-custom-policy lists condition keys and variables" bash -c \
  "$iam get-context-keys-for-custom-policy --policy-input-list '$prefix_policy' '{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::b/\${aws:username}/*\"}}' --query 'ContextKeyNames' --output text | grep -qP '^s3:prefix\taws:username$'"
check "get-context-keys-for-principal-policy reads the user's policies" bash -c \
  "$iam put-user-policy --user-name $user --policy-name prefix --policy-document '$prefix_policy' && $iam get-context-keys-for-principal-policy --policy-source-arn $arn --query 'ContextKeyNames' --output text | grep -qx 's3:prefix'"
check "--max-items pages the results" bash -c \
  "$iam simulate-custom-policy --policy-input-list '$read_only' --action-names s3:GetObject s3:ListBucket s3:PutObject --max-items 2 --output json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d[\"EvaluationResults\"]) == 2 and d[\"NextToken\"], d'"
expect_error "an unknown user is NoSuchEntity" NoSuchEntity $iam simulate-principal-policy --policy-source-arn arn:aws:iam::000000000000:user/nobody-here --action-names s3:GetObject
expect_error "a malformed input policy is InvalidInput" InvalidInput $iam simulate-custom-policy --policy-input-list '{"Statement":[' --action-names s3:GetObject
expect_error "an action without a service prefix is InvalidInput" InvalidInput $iam simulate-custom-policy --policy-input-list "$read_only" --action-names GetObject
expect_error "a bad context key type is a ValidationError" ValidationError $iam simulate-custom-policy --policy-input-list "$read_only" --action-names s3:GetObject --context-entries ContextKeyName=aws:SourceIp,ContextKeyValues=1.2.3.4,ContextKeyType=address
expect_error "a bad ip value is InvalidInput" InvalidInput $iam simulate-custom-policy --policy-input-list "$read_only" --action-names s3:GetObject --context-entries ContextKeyName=aws:SourceIp,ContextKeyValues=not-an-ip,ContextKeyType=ip
expect_error "a resource policy without a caller is InvalidInput" InvalidInput $iam simulate-custom-policy --policy-input-list "$read_only" --resource-policy '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}}' --action-names s3:GetObject

echo "cli_iam_simulate: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
