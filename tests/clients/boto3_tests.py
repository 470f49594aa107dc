"""boto3 checks against $STRATUS_ENDPOINT (Debian's python3-boto3)."""
import contextlib
import datetime
import importlib
import os
import sys
import unittest
from unittest import mock

import boto3
import botocore
import botocore.auth
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT = os.environ["STRATUS_ENDPOINT"]


def client(service, key="test", secret="test", **kwargs):
    return boto3.client(
        service,
        endpoint_url=ENDPOINT,
        region_name="us-east-1",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=Config(retries={"max_attempts": 1}),
        **kwargs,
    )


def signer_modules():
    modules = [botocore.auth]
    try:
        modules.append(importlib.import_module("botocore.crt.auth"))
    except ImportError:
        pass
    return modules


class StsTests(unittest.TestCase):
    def test_caller_identity_of_the_default_root(self):
        identity = client("sts").get_caller_identity()
        self.assertEqual(identity["Account"], "000000000000")
        self.assertEqual(identity["Arn"], "arn:aws:iam::000000000000:root")
        self.assertEqual(identity["UserId"], "000000000000")

    def test_caller_identity_of_the_second_account(self):
        identity = client("sts", "AKIASECONDACCOUNT01", "second-secret").get_caller_identity()
        self.assertEqual(identity["Account"], "111111111111")

    def test_wrong_secret_is_signature_does_not_match(self):
        with self.assertRaises(ClientError) as caught:
            client("sts", secret="wrong").get_caller_identity()
        self.assertEqual(caught.exception.response["Error"]["Code"], "SignatureDoesNotMatch")
        self.assertEqual(caught.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)

    def test_unknown_key_is_invalid_client_token_id(self):
        with self.assertRaises(ClientError) as caught:
            client("sts", key="AKIANOSUCHKEY").get_caller_identity()
        self.assertEqual(caught.exception.response["Error"]["Code"], "InvalidClientTokenId")

    def test_a_request_signed_twenty_minutes_ago_is_rejected(self):
        past = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=20)
        sts = client("sts")
        # botocore reads the clock through get_current_datetime (newer) or datetime.utcnow (older), in its own
        # signer or in the CRT signer when awscrt is installed: move every one of them 20 minutes back.
        with contextlib.ExitStack() as stack:
            for module in signer_modules():
                if hasattr(module, "get_current_datetime"):
                    stack.enter_context(mock.patch.object(module, "get_current_datetime", return_value=past.replace(tzinfo=None)))
                if hasattr(module, "datetime"):
                    fake = stack.enter_context(mock.patch.object(module, "datetime"))
                    fake.datetime.now.return_value = past
                    fake.datetime.utcnow.return_value = past.replace(tzinfo=None)
                    fake.datetime.strptime = datetime.datetime.strptime
                    fake.timezone = datetime.timezone
            with self.assertRaises(ClientError) as caught:
                sts.get_caller_identity()
        self.assertEqual(caught.exception.response["Error"]["Code"], "SignatureDoesNotMatch")
        self.assertIn("Signature expired", caught.exception.response["Error"]["Message"])


class UnimplementedTests(unittest.TestCase):
    def test_json_services_answer_unknown_operation(self):
        with self.assertRaises(ClientError) as caught:
            client("dynamodb").list_tables()
        self.assertEqual(caught.exception.response["Error"]["Code"], "UnknownOperationException")
        self.assertIn("ListTables", caught.exception.response["Error"]["Message"])

    def test_s3_answers_not_implemented(self):
        with self.assertRaises(ClientError) as caught:
            client("s3").list_buckets()
        self.assertEqual(caught.exception.response["Error"]["Code"], "NotImplemented")
        self.assertEqual(caught.exception.response["ResponseMetadata"]["HTTPStatusCode"], 501)

    def test_query_services_answer_invalid_action(self):
        with self.assertRaises(ClientError) as caught:
            client("iam").list_users()
        self.assertEqual(caught.exception.response["Error"]["Code"], "InvalidAction")

    def test_ec2_answers_invalid_action(self):
        with self.assertRaises(ClientError) as caught:
            client("ec2").describe_instances()
        self.assertEqual(caught.exception.response["Error"]["Code"], "InvalidAction")

    def test_lambda_answers_unknown_operation(self):
        with self.assertRaises(ClientError) as caught:
            client("lambda").list_functions()
        self.assertEqual(caught.exception.response["Error"]["Code"], "UnknownOperationException")


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"boto3: {result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
