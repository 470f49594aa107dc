"""boto3 checks of S3 bucket configuration (CORS, public access block, ownership and ACLs, encryption,
notifications, lifecycle) against $STRATUS_ENDPOINT."""
import os
import sys
import unittest
import urllib.request
import uuid

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT = os.environ["STRATUS_ENDPOINT"]


def s3(key="test", secret="test"):
    return boto3.client(
        "s3",
        endpoint_url=ENDPOINT,
        region_name="us-east-1",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"}),
    )


def new_bucket(client):
    name = "cfg-" + uuid.uuid4().hex[:20]
    client.create_bucket(Bucket=name)
    return name


def raw(method, path, headers=None):
    request = urllib.request.Request(ENDPOINT + path, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class CorsTests(unittest.TestCase):
    def test_rules_round_trip_and_answer_preflights(self):
        client = s3()
        bucket = new_bucket(client)
        rules = [{"ID": "app", "AllowedMethods": ["GET", "PUT"], "AllowedOrigins": ["https://app.example"],
                  "AllowedHeaders": ["*"], "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 120}]
        client.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": rules})
        self.assertEqual(client.get_bucket_cors(Bucket=bucket)["CORSRules"], rules)
        status, headers, _ = raw("OPTIONS", f"/{bucket}/k", {"Origin": "https://app.example", "Access-Control-Request-Method": "PUT",
                                                             "Access-Control-Request-Headers": "content-type"})
        self.assertEqual(status, 200)
        self.assertEqual(headers["Access-Control-Allow-Origin"], "https://app.example")
        self.assertEqual(headers["Access-Control-Max-Age"], "120")
        status, _, body = raw("OPTIONS", f"/{bucket}/k", {"Origin": "https://evil.example", "Access-Control-Request-Method": "PUT"})
        self.assertEqual(status, 403)
        self.assertIn(b"CORSResponse", body)
        client.delete_bucket_cors(Bucket=bucket)
        with self.assertRaises(ClientError) as error:
            client.get_bucket_cors(Bucket=bucket)
        self.assertEqual(error.exception.response["Error"]["Code"], "NoSuchCORSConfiguration")

    def test_unsupported_method_is_invalid_request(self):
        client = s3()
        bucket = new_bucket(client)
        with self.assertRaises(ClientError) as error:
            client.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": [{"AllowedMethods": ["OPTIONS"], "AllowedOrigins": ["*"]}]})
        self.assertEqual(error.exception.response["Error"]["Code"], "InvalidRequest")


class PublicAccessTests(unittest.TestCase):
    def test_block_public_policy_and_restrict_public_buckets(self):
        client = s3()
        bucket = new_bucket(client)
        client.put_object(Bucket=bucket, Key="k", Body=b"v")
        with self.assertRaises(ClientError) as error:
            client.get_public_access_block(Bucket=bucket)
        self.assertEqual(error.exception.response["Error"]["Code"], "NoSuchPublicAccessBlockConfiguration")
        policy = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::%s/*"}]}' % bucket
        client.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={"BlockPublicPolicy": True})
        with self.assertRaises(ClientError) as error:
            client.put_bucket_policy(Bucket=bucket, Policy=policy)
        self.assertEqual(error.exception.response["Error"]["Code"], "AccessDenied")
        client.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={"RestrictPublicBuckets": True})
        client.put_bucket_policy(Bucket=bucket, Policy=policy)
        self.assertTrue(client.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"]["IsPublic"])
        self.assertEqual(raw("GET", f"/{bucket}/k")[0], 403)
        client.delete_public_access_block(Bucket=bucket)
        self.assertEqual(raw("GET", f"/{bucket}/k")[0], 200)


class AclTests(unittest.TestCase):
    def test_owner_enforced_by_default(self):
        client = s3()
        bucket = new_bucket(client)
        rules = client.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
        self.assertEqual(rules, [{"ObjectOwnership": "BucketOwnerEnforced"}])
        with self.assertRaises(ClientError) as error:
            client.put_object(Bucket=bucket, Key="k", Body=b"v", ACL="public-read")
        self.assertEqual(error.exception.response["Error"]["Code"], "AccessControlListNotSupported")

    def test_public_read_object_acl_opens_the_object(self):
        client = s3()
        bucket = "cfg-" + uuid.uuid4().hex[:20]
        client.create_bucket(Bucket=bucket, ObjectOwnership="ObjectWriter")
        client.put_object(Bucket=bucket, Key="open", Body=b"hello", ACL="public-read")
        client.put_object(Bucket=bucket, Key="closed", Body=b"secret")
        self.assertEqual(raw("GET", f"/{bucket}/open")[2], b"hello")
        self.assertEqual(raw("GET", f"/{bucket}/closed")[0], 403)
        grants = client.get_object_acl(Bucket=bucket, Key="open")["Grants"]
        self.assertIn({"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"}, "Permission": "READ"}, grants)
        client.put_bucket_acl(Bucket=bucket, ACL="public-read")
        self.assertEqual(raw("GET", f"/{bucket}?list-type=2")[0], 200)
        client.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={"IgnorePublicAcls": True})
        self.assertEqual(raw("GET", f"/{bucket}/open")[0], 403)
        self.assertEqual(raw("GET", f"/{bucket}?list-type=2")[0], 403)


class EncryptionTests(unittest.TestCase):
    def test_default_and_kms_encryption_are_echoed(self):
        client = s3()
        bucket = new_bucket(client)
        self.assertEqual(client.put_object(Bucket=bucket, Key="a", Body=b"x")["ServerSideEncryption"], "AES256")
        client.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [
            {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "k1"}, "BucketKeyEnabled": True}]})
        rule = client.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
        self.assertEqual(rule["ApplyServerSideEncryptionByDefault"], {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "k1"})
        self.assertTrue(rule["BucketKeyEnabled"])
        client.put_object(Bucket=bucket, Key="b", Body=b"x")
        head = client.head_object(Bucket=bucket, Key="b")
        self.assertEqual(head["ServerSideEncryption"], "aws:kms")
        self.assertTrue(head["SSEKMSKeyId"].endswith(":key/k1"))
        self.assertEqual(client.head_object(Bucket=bucket, Key="a")["ServerSideEncryption"], "AES256")
        client.delete_bucket_encryption(Bucket=bucket)
        rule = client.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
        self.assertEqual(rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"], "AES256")


class NotificationTests(unittest.TestCase):
    QUEUE = "arn:aws:sqs:us-east-1:000000000000:q"

    def test_configuration_round_trips(self):
        client = s3()
        bucket = new_bucket(client)
        client.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={
            "QueueConfigurations": [{"Id": "q", "QueueArn": self.QUEUE, "Events": ["s3:ObjectCreated:*"],
                                     "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "in/"}]}}}],
            "LambdaFunctionConfigurations": [{"Id": "f", "LambdaFunctionArn": "arn:aws:lambda:us-east-1:000000000000:function:f",
                                              "Events": ["s3:ObjectRemoved:*"]}]})
        stored = client.get_bucket_notification_configuration(Bucket=bucket)
        self.assertEqual(stored["QueueConfigurations"][0]["QueueArn"], self.QUEUE)
        self.assertEqual(stored["QueueConfigurations"][0]["Filter"]["Key"]["FilterRules"][0]["Value"], "in/")
        self.assertEqual(stored["LambdaFunctionConfigurations"][0]["Id"], "f")

    def test_overlap_and_bad_event_are_invalid_argument(self):
        client = s3()
        bucket = new_bucket(client)
        for configuration in (
            {"QueueConfigurations": [{"QueueArn": self.QUEUE, "Events": ["s3:ObjectCreated:*"]},
                                     {"QueueArn": self.QUEUE, "Events": ["s3:ObjectCreated:Copy"]}]},
            {"QueueConfigurations": [{"QueueArn": self.QUEUE, "Events": ["s3:ObjectMelted"]}]},
        ):
            with self.assertRaises(ClientError) as error:
                client.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration=configuration)
            self.assertEqual(error.exception.response["Error"]["Code"], "InvalidArgument")


class LifecycleTests(unittest.TestCase):
    def test_rules_round_trip(self):
        client = s3()
        bucket = new_bucket(client)
        rules = [
            {"ID": "logs", "Status": "Enabled", "Filter": {"Prefix": "logs/"}, "Expiration": {"Days": 30}},
            {"ID": "mpu", "Status": "Enabled", "Filter": {}, "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7}},
            {"ID": "old", "Status": "Disabled", "Filter": {"And": {"Prefix": "a/", "Tags": [{"Key": "t", "Value": "v"}]}},
             "NoncurrentVersionExpiration": {"NoncurrentDays": 10, "NewerNoncurrentVersions": 2}},
        ]
        client.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules})
        stored = client.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
        self.assertEqual(stored, rules)
        client.delete_bucket_lifecycle(Bucket=bucket)
        with self.assertRaises(ClientError) as error:
            client.get_bucket_lifecycle_configuration(Bucket=bucket)
        self.assertEqual(error.exception.response["Error"]["Code"], "NoSuchLifecycleConfiguration")

    def test_date_not_at_midnight_is_invalid_argument(self):
        client = s3()
        bucket = new_bucket(client)
        with self.assertRaises(ClientError) as error:
            client.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": [
                {"ID": "x", "Status": "Enabled", "Filter": {}, "Expiration": {"Date": "2031-01-01T10:00:00Z"}}]})
        self.assertEqual(error.exception.response["Error"]["Code"], "InvalidArgument")


if __name__ == "__main__":
    result = unittest.main(argv=[sys.argv[0], "-v"], exit=False).result
    sys.exit(0 if result.wasSuccessful() else 1)
