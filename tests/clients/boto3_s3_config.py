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


if __name__ == "__main__":
    result = unittest.main(argv=[sys.argv[0], "-v"], exit=False).result
    sys.exit(0 if result.wasSuccessful() else 1)
