"""boto3 checks against $STRATUS_ENDPOINT (Debian's python3-boto3)."""
import contextlib
import datetime
import importlib
import json
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


class S3Tests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s3 = boto3.client(
            "s3",
            endpoint_url=ENDPOINT,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
            config=Config(retries={"max_attempts": 1}, signature_version="s3v4", s3={"addressing_style": "path"}),
        )
        cls.bucket = "boto3-bucket"
        try:
            cls.s3.create_bucket(Bucket=cls.bucket)
        except ClientError as error:
            if error.response["Error"]["Code"] != "BucketAlreadyOwnedByYou":
                raise

    def test_upload_file_and_download_file_round_trip_a_multipart_object(self):
        import tempfile
        from boto3.s3.transfer import TransferConfig
        data = os.urandom(12 * 1024 * 1024 + 7)
        with tempfile.TemporaryDirectory() as folder:
            source = os.path.join(folder, "source")
            target = os.path.join(folder, "target")
            with open(source, "wb") as f:
                f.write(data)
            config = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024)
            self.s3.upload_file(source, self.bucket, "big/file", Config=config)
            self.s3.download_file(self.bucket, "big/file", target, Config=config)
            with open(target, "rb") as f:
                self.assertEqual(f.read(), data)
        head = self.s3.head_object(Bucket=self.bucket, Key="big/file")
        self.assertTrue(head["ETag"].endswith('-3"'))

    def test_the_list_paginator_walks_every_key_once(self):
        keys = [f"page/{i:03d}" for i in range(25)]
        for key in keys:
            self.s3.put_object(Bucket=self.bucket, Key=key, Body=key.encode())
        paginator = self.s3.get_paginator("list_objects_v2")
        seen = [o["Key"] for page in paginator.paginate(Bucket=self.bucket, Prefix="page/", PaginationConfig={"PageSize": 7}) for o in page.get("Contents", [])]
        self.assertEqual(seen, keys)
        prefixes = [p["Prefix"] for page in paginator.paginate(Bucket=self.bucket, Delimiter="/") for p in page.get("CommonPrefixes", [])]
        self.assertIn("page/", prefixes)

    def test_errors_have_s3s_codes(self):
        with self.assertRaises(ClientError) as caught:
            self.s3.get_object(Bucket=self.bucket, Key="missing")
        self.assertEqual(caught.exception.response["Error"]["Code"], "NoSuchKey")
        with self.assertRaises(ClientError) as caught:
            self.s3.create_bucket(Bucket="Bad_Name")
        self.assertEqual(caught.exception.response["Error"]["Code"], "InvalidBucketName")

    def test_presigned_put_and_get_work_without_an_sdk(self):
        import urllib.request
        put_url = self.s3.generate_presigned_url("put_object", Params={"Bucket": self.bucket, "Key": "presigned"}, ExpiresIn=300)
        request = urllib.request.Request(put_url, data=b"via presigned put", method="PUT")
        with urllib.request.urlopen(request) as response:
            self.assertEqual(response.status, 200)
        get_url = self.s3.generate_presigned_url("get_object", Params={"Bucket": self.bucket, "Key": "presigned"}, ExpiresIn=300)
        with urllib.request.urlopen(get_url) as response:
            self.assertEqual(response.read(), b"via presigned put")


    def test_signature_version_2_header_auth_and_presigned_urls_work_for_s3(self):
        import urllib.request
        legacy = boto3.client(
            "s3",
            endpoint_url=ENDPOINT,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
            config=Config(retries={"max_attempts": 1}, signature_version="s3", s3={"addressing_style": "path"}),
        )
        legacy.put_object(Bucket=self.bucket, Key="sigv2/obj", Body=b"signed with v2", ContentType="text/plain", Metadata={"a": "b"})
        self.assertEqual(legacy.get_object(Bucket=self.bucket, Key="sigv2/obj")["Body"].read(), b"signed with v2")
        self.assertEqual([o["Key"] for o in legacy.list_objects(Bucket=self.bucket, Prefix="sigv2/")["Contents"]], ["sigv2/obj"])
        # SigV2 signs the Content-Type: the URL is made for the one the uploader will send.
        put_url = legacy.generate_presigned_url("put_object", Params={"Bucket": self.bucket, "Key": "sigv2/presigned", "ContentType": "text/plain"}, ExpiresIn=300)
        with urllib.request.urlopen(urllib.request.Request(put_url, data=b"v2 put", method="PUT", headers={"Content-Type": "text/plain"})) as response:
            self.assertEqual(response.status, 200)
        get_url = legacy.generate_presigned_url("get_object", Params={"Bucket": self.bucket, "Key": "sigv2/presigned"}, ExpiresIn=300)
        self.assertIn("AWSAccessKeyId=", get_url)
        with urllib.request.urlopen(get_url) as response:
            self.assertEqual(response.read(), b"v2 put")
        wrong = boto3.client("s3", endpoint_url=ENDPOINT, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="wrong",
                             config=Config(retries={"max_attempts": 1}, signature_version="s3", s3={"addressing_style": "path"}))
        with self.assertRaises(ClientError) as caught:
            wrong.get_object(Bucket=self.bucket, Key="sigv2/obj")
        self.assertEqual(caught.exception.response["Error"]["Code"], "SignatureDoesNotMatch")

    def test_presigned_post_forms_upload_with_curl_in_both_signature_versions(self):
        import subprocess
        legacy = boto3.client("s3", endpoint_url=ENDPOINT, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test",
                              config=Config(retries={"max_attempts": 1}, signature_version="s3", s3={"addressing_style": "path"}))
        for name, signer in (("v4", self.s3), ("v2", legacy)):
            post = signer.generate_presigned_post(
                self.bucket, f"form/{name}/${{filename}}", Fields={"Content-Type": "text/plain", "success_action_status": "201"},
                Conditions=[{"Content-Type": "text/plain"}, {"success_action_status": "201"}, ["content-length-range", 1, 64]], ExpiresIn=300)
            self.assertEqual("AWSAccessKeyId" in post["fields"], name == "v2")
            command = ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", post["url"]]
            for field, value in post["fields"].items():
                command += ["-F", f"{field}={value}"]
            status = subprocess.run(command + ["-F", "file=@-;filename=note.txt"], input=b"posted by a form", capture_output=True, check=True).stdout
            self.assertEqual(status, b"201", name)
            stored = self.s3.get_object(Bucket=self.bucket, Key=f"form/{name}/note.txt")
            self.assertEqual(stored["Body"].read(), b"posted by a form")
            self.assertEqual(stored["ContentType"], "text/plain")
            # Past the policy's content-length-range: refused, and nothing is stored.
            status = subprocess.run(command + ["-F", "file=@-;filename=big.txt"], input=b"x" * 65, capture_output=True, check=True).stdout
            self.assertEqual(status, b"400", name)
            with self.assertRaises(ClientError):
                self.s3.head_object(Bucket=self.bucket, Key=f"form/{name}/big.txt")


class IamTests(unittest.TestCase):
    def test_a_user_with_a_prefix_policy_reads_there_and_is_denied_elsewhere(self):
        iam = client("iam")
        s3 = boto3.client("s3", endpoint_url=ENDPOINT, region_name="us-east-1", aws_access_key_id="test",
                          aws_secret_access_key="test", config=Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"}))
        s3.create_bucket(Bucket="iam-boto3")
        s3.put_object(Bucket="iam-boto3", Key="team/a.txt", Body=b"team")
        s3.put_object(Bucket="iam-boto3", Key="hr/b.txt", Body=b"hr")
        iam.create_user(UserName="boto3-user")
        key = iam.create_access_key(UserName="boto3-user")["AccessKey"]
        iam.put_user_policy(UserName="boto3-user", PolicyName="team", PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::iam-boto3/team/*"}],
        }))
        self.assertEqual(iam.get_user_policy(UserName="boto3-user", PolicyName="team")["PolicyDocument"]["Statement"][0]["Action"], "s3:GetObject")
        as_user = boto3.client("s3", endpoint_url=ENDPOINT, region_name="us-east-1", aws_access_key_id=key["AccessKeyId"],
                               aws_secret_access_key=key["SecretAccessKey"], config=Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"}))
        self.assertEqual(as_user.get_object(Bucket="iam-boto3", Key="team/a.txt")["Body"].read(), b"team")
        with self.assertRaises(ClientError) as caught:
            as_user.get_object(Bucket="iam-boto3", Key="hr/b.txt")
        self.assertEqual(caught.exception.response["Error"]["Code"], "AccessDenied")
        identity = client("sts", key["AccessKeyId"], key["SecretAccessKey"]).get_caller_identity()
        self.assertEqual(identity["Arn"], "arn:aws:iam::000000000000:user/boto3-user")
        iam.update_access_key(UserName="boto3-user", AccessKeyId=key["AccessKeyId"], Status="Inactive")
        with self.assertRaises(ClientError) as caught:
            as_user.get_object(Bucket="iam-boto3", Key="team/a.txt")
        self.assertEqual(caught.exception.response["Error"]["Code"], "InvalidAccessKeyId")


class UnimplementedTests(unittest.TestCase):
    def test_json_services_answer_unknown_operation(self):
        with self.assertRaises(ClientError) as caught:
            client("dynamodb").list_tables()
        self.assertEqual(caught.exception.response["Error"]["Code"], "UnknownOperationException")
        self.assertIn("ListTables", caught.exception.response["Error"]["Message"])

    def test_s3_answers_not_implemented(self):
        with self.assertRaises(ClientError) as caught:
            client("s3").get_bucket_analytics_configuration(Bucket="any", Id="x")
        self.assertEqual(caught.exception.response["Error"]["Code"], "NotImplemented")
        self.assertEqual(caught.exception.response["ResponseMetadata"]["HTTPStatusCode"], 501)

    def test_query_services_answer_invalid_action(self):
        with self.assertRaises(ClientError) as caught:
            client("iam").list_saml_providers()
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
