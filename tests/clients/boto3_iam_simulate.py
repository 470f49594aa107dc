"""The IAM policy simulator driven by boto3 against $STRATUS_ENDPOINT (Debian's python3-boto3)."""
import json
import os
import sys
import unittest
import uuid

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT = os.environ["STRATUS_ENDPOINT"]


def client(service, key="test", secret="test"):
    return boto3.client(service, endpoint_url=ENDPOINT, region_name="us-east-1", aws_access_key_id=key,
                        aws_secret_access_key=secret, config=Config(retries={"max_attempts": 1}))


IAM = client("iam")

# The example of AWS's SimulateCustomPolicy API reference: list a bucket only with MFA.
MFA_POLICY = json.dumps({"Version": "2012-10-17", "Statement": {
    "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::teambucket",
    "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}})


def entry(name, kind, *values):
    return {"ContextKeyName": name, "ContextKeyType": kind, "ContextKeyValues": list(values)}


class SimulateCustomPolicyTests(unittest.TestCase):
    def simulate(self, policies, actions, **kwargs):
        return IAM.simulate_custom_policy(PolicyInputList=policies, ActionNames=actions, **kwargs)["EvaluationResults"]

    def test_the_documented_mfa_example(self):
        allowed = self.simulate([MFA_POLICY], ["s3:ListBucket"], ResourceArns=["arn:aws:s3:::teambucket"],
                                ContextEntries=[entry("aws:MultiFactorAuthPresent", "boolean", "true")])[0]
        self.assertEqual(allowed["EvalDecision"], "allowed")
        self.assertEqual(allowed["MatchedStatements"][0]["SourcePolicyId"], "PolicyInputList.1")
        self.assertEqual(allowed["MatchedStatements"][0]["StartPosition"], {"Line": 1, "Column": 40})
        self.assertEqual(allowed["ResourceSpecificResults"][0]["EvalResourceName"], "arn:aws:s3:::teambucket")
        self.assertEqual(allowed["ResourceSpecificResults"][0]["EvalResourceDecision"], "allowed")
        self.assertEqual(allowed["EvalDecisionDetails"], {})  # same account, named resource: present and empty
        denied = self.simulate([MFA_POLICY], ["s3:ListBucket"], ResourceArns=["arn:aws:s3:::teambucket"],
                               ContextEntries=[entry("aws:MultiFactorAuthPresent", "boolean", "false")])[0]
        self.assertEqual(denied["EvalDecision"], "implicitDeny")
        self.assertEqual(denied["MatchedStatements"], [])
        missing = self.simulate([MFA_POLICY], ["s3:ListBucket"], ResourceArns=["arn:aws:s3:::teambucket"])[0]
        self.assertEqual(missing["ResourceSpecificResults"][0]["MissingContextValues"], ["aws:MultiFactorAuthPresent"])

    def test_every_context_key_type_reaches_its_operator(self):
        policy = json.dumps({"Version": "2012-10-17", "Statement": {
            "Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*", "Condition": {
                "ForAnyValue:StringEquals": {"aws:TagKeys": ["team"]},
                "NumericLessThan": {"ec2:VolumeSize": "100"},
                "DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"},
                "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}})
        good = [entry("aws:TagKeys", "stringList", "env", "team"), entry("ec2:VolumeSize", "numeric", "50"),
                entry("aws:CurrentTime", "date", "2026-06-01T00:00:00Z"), entry("aws:SourceIp", "ip", "10.1.2.3")]
        self.assertEqual(self.simulate([policy], ["ec2:RunInstances"], ContextEntries=good)[0]["EvalDecision"], "allowed")
        for index, bad in [(1, "500"), (3, "192.168.0.1")]:
            entries = [dict(e) for e in good]
            entries[index]["ContextKeyValues"] = [bad]
            self.assertEqual(self.simulate([policy], ["ec2:RunInstances"], ContextEntries=entries)[0]["EvalDecision"], "implicitDeny")

    def test_explicit_deny_names_only_the_deny(self):
        policy = json.dumps({"Version": "2012-10-17", "Statement": [
            {"Sid": "All", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
            {"Sid": "NoDelete", "Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}]}, indent=2)
        result = self.simulate([policy], ["s3:DeleteBucket"])[0]
        self.assertEqual(result["EvalDecision"], "explicitDeny")
        self.assertEqual(len(result["MatchedStatements"]), 1)
        # The Deny is the second statement of an indented document: its braces are on lines 10 and 15, column 5.
        self.assertEqual(result["MatchedStatements"][0]["StartPosition"], {"Line": 10, "Column": 5})
        self.assertEqual(result["MatchedStatements"][0]["EndPosition"], {"Line": 15, "Column": 6})

    def test_max_items_and_marker_page_the_results(self):
        first = IAM.simulate_custom_policy(PolicyInputList=[MFA_POLICY], ActionNames=["s3:ListBucket", "s3:GetObject", "s3:PutObject"], MaxItems=2)
        self.assertTrue(first["IsTruncated"])
        self.assertEqual([r["EvalActionName"] for r in first["EvaluationResults"]], ["s3:ListBucket", "s3:GetObject"])
        rest = IAM.simulate_custom_policy(PolicyInputList=[MFA_POLICY], ActionNames=["s3:ListBucket", "s3:GetObject", "s3:PutObject"], MaxItems=2, Marker=first["Marker"])
        self.assertFalse(rest["IsTruncated"])
        self.assertEqual([r["EvalActionName"] for r in rest["EvaluationResults"]], ["s3:PutObject"])

    def test_cross_account_needs_the_resource_policy_too(self):
        caller = "arn:aws:iam::000000000000:user/someone"
        identity = json.dumps({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}})
        queue = "arn:aws:sqs:us-east-1:111111111111:orders"
        without = self.simulate([identity], ["sqs:SendMessage"], ResourceArns=[queue], CallerArn=caller)[0]
        self.assertEqual(without["EvalDecision"], "implicitDeny")
        self.assertEqual(without["EvalDecisionDetails"], {"IAM Policy": "allowed", "Resource Policy": "implicitDeny"})
        grant = json.dumps({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "000000000000"}, "Action": "sqs:SendMessage", "Resource": queue}})
        granted = self.simulate([identity], ["sqs:SendMessage"], ResourceArns=[queue], CallerArn=caller, ResourcePolicy=grant)[0]
        self.assertEqual(granted["EvalDecision"], "allowed")
        self.assertIn("resource", [s["SourcePolicyType"] for s in granted["MatchedStatements"]])

    def test_bad_input_is_refused_by_name(self):
        cases = [
            (dict(PolicyInputList=["not json"], ActionNames=["s3:GetObject"]), "InvalidInput"),
            (dict(PolicyInputList=[MFA_POLICY], ActionNames=["s3:GetObject"], ContextEntries=[entry("ec2:size", "numeric", "ten")]), "InvalidInput"),
            (dict(PolicyInputList=[MFA_POLICY], ActionNames=["s3:GetObject"], ContextEntries=[entry("ec2:flag", "boolean", "true", "false")]), "InvalidInput"),
            (dict(PolicyInputList=[MFA_POLICY], ActionNames=["s3:GetObject"], CallerArn="arn:aws:iam::000000000000:role/r"), "InvalidInput"),
            (dict(PolicyInputList=[MFA_POLICY], ActionNames=["s3:GetObject"], Marker="minus-one"), "InvalidInput"),
        ]
        for kwargs, code in cases:
            with self.subTest(kwargs=kwargs):
                with self.assertRaises(ClientError) as caught:
                    IAM.simulate_custom_policy(**kwargs)
                self.assertEqual(caught.exception.response["Error"]["Code"], code)
                self.assertEqual(caught.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)


class SimulatePrincipalPolicyTests(unittest.TestCase):
    def setUp(self):
        self.name = "sim-" + uuid.uuid4().hex[:8]
        self.arn = IAM.create_user(UserName=self.name)["User"]["Arn"]
        IAM.put_user_policy(UserName=self.name, PolicyName="home", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": {
            "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"}}))

    def test_the_users_own_policies_with_its_name_as_variable(self):
        results = IAM.simulate_principal_policy(PolicySourceArn=self.arn, ActionNames=["s3:GetObject"],
                                                ResourceArns=[f"arn:aws:s3:::home/{self.name}/a", "arn:aws:s3:::home/other/a"])["EvaluationResults"]
        self.assertEqual([r["EvalDecision"] for r in results], ["allowed", "implicitDeny"])
        self.assertEqual(results[0]["MatchedStatements"][0]["SourcePolicyId"], "home")
        self.assertEqual(results[0]["MatchedStatements"][0]["SourcePolicyType"], "user")

    def test_extra_input_policies_and_a_boundary_apply_with_the_users(self):
        extra = json.dumps({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}})
        boundary = json.dumps({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}})
        results = IAM.simulate_principal_policy(PolicySourceArn=self.arn, ActionNames=["s3:GetObject", "s3:PutObject"],
                                                ResourceArns=[f"arn:aws:s3:::home/{self.name}/a"], PolicyInputList=[extra],
                                                PermissionsBoundaryPolicyInputList=[boundary])["EvaluationResults"]
        self.assertEqual([r["EvalDecision"] for r in results], ["allowed", "implicitDeny"])
        self.assertEqual([r["PermissionsBoundaryDecisionDetail"]["AllowedByPermissionsBoundary"] for r in results], [True, False])

    def test_context_keys_for_the_principal(self):
        keys = IAM.get_context_keys_for_principal_policy(PolicySourceArn=self.arn, PolicyInputList=[MFA_POLICY])["ContextKeyNames"]
        self.assertEqual(keys, ["aws:username", "aws:MultiFactorAuthPresent"])

    def test_simulating_needs_its_own_permission(self):
        key = IAM.create_access_key(UserName=self.name)["AccessKey"]
        own = client("iam", key["AccessKeyId"], key["SecretAccessKey"])
        with self.assertRaises(ClientError) as caught:
            own.simulate_principal_policy(PolicySourceArn=self.arn, ActionNames=["s3:GetObject"])
        self.assertEqual(caught.exception.response["Error"]["Code"], "AccessDenied")
        self.assertIn("iam:SimulatePrincipalPolicy", caught.exception.response["Error"]["Message"])
        with self.assertRaises(ClientError) as caught:
            own.simulate_custom_policy(PolicyInputList=[MFA_POLICY], ActionNames=["s3:ListBucket"])
        self.assertIn("iam:SimulateCustomPolicy", caught.exception.response["Error"]["Message"])

    def test_an_unknown_user_is_no_such_entity(self):
        with self.assertRaises(ClientError) as caught:
            IAM.simulate_principal_policy(PolicySourceArn="arn:aws:iam::000000000000:user/nobody-" + self.name, ActionNames=["s3:GetObject"])
        self.assertEqual(caught.exception.response["Error"]["Code"], "NoSuchEntity")
        self.assertEqual(caught.exception.response["ResponseMetadata"]["HTTPStatusCode"], 404)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"boto3_iam_simulate: {result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
