"""boto3 checks of S3 versioning, object tags, GetObjectAttributes and UploadPartCopy against $STRATUS_ENDPOINT."""
import os
import sys
import unittest
import uuid

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT = os.environ["STRATUS_ENDPOINT"]


def s3():
    return boto3.client(
        "s3",
        endpoint_url=ENDPOINT,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"}),
    )


def new_bucket(client, versioned=True):
    name = "v-" + uuid.uuid4().hex[:20]
    client.create_bucket(Bucket=name)
    if versioned:
        client.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    return name


class Versioning(unittest.TestCase):
    def setUp(self):
        self.s3 = s3()
        self.bucket = new_bucket(self.s3)

    def test_status_reads_back(self):
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=self.bucket)["Status"], "Enabled")
        fresh = new_bucket(self.s3, versioned=False)
        self.assertNotIn("Status", self.s3.get_bucket_versioning(Bucket=fresh))

    def test_versioned_delete_then_restore_by_deleting_the_marker(self):
        put = self.s3.put_object(Bucket=self.bucket, Key="doc.txt", Body=b"keep me")
        marker = self.s3.delete_object(Bucket=self.bucket, Key="doc.txt")
        self.assertTrue(marker["DeleteMarker"])
        with self.assertRaises(ClientError) as caught:
            self.s3.get_object(Bucket=self.bucket, Key="doc.txt")
        self.assertEqual(caught.exception.response["Error"]["Code"], "NoSuchKey")
        self.assertEqual(caught.exception.response["ResponseMetadata"]["HTTPHeaders"]["x-amz-delete-marker"], "true")
        with self.assertRaises(ClientError) as caught:
            self.s3.head_object(Bucket=self.bucket, Key="doc.txt", VersionId=marker["VersionId"])
        self.assertEqual(caught.exception.response["ResponseMetadata"]["HTTPStatusCode"], 405)
        self.s3.delete_object(Bucket=self.bucket, Key="doc.txt", VersionId=marker["VersionId"])
        got = self.s3.get_object(Bucket=self.bucket, Key="doc.txt")
        self.assertEqual(got["Body"].read(), b"keep me")
        self.assertEqual(got["VersionId"], put["VersionId"])

    def test_list_object_versions_paginator_walks_every_version_in_order(self):
        written = []
        for i in range(7):
            for key in ["k/a", "k/b", "k/c"]:
                written.append((key, self.s3.put_object(Bucket=self.bucket, Key=key, Body=str(i).encode())["VersionId"]))
        pages = self.s3.get_paginator("list_object_versions").paginate(Bucket=self.bucket, Prefix="k/", PaginationConfig={"PageSize": 4})
        seen = [(v["Key"], v["VersionId"], v["IsLatest"]) for page in pages for v in page.get("Versions", [])]
        expected = []
        for key in ["k/a", "k/b", "k/c"]:
            ids = [vid for k, vid in written if k == key][::-1]
            expected += [(key, vid, i == 0) for i, vid in enumerate(ids)]
        self.assertEqual(seen, expected)

    def test_delete_objects_with_version_ids(self):
        v1 = self.s3.put_object(Bucket=self.bucket, Key="x", Body=b"1")["VersionId"]
        self.s3.put_object(Bucket=self.bucket, Key="x", Body=b"2")
        result = self.s3.delete_objects(Bucket=self.bucket, Delete={"Objects": [{"Key": "x", "VersionId": v1}, {"Key": "y"}]})
        deleted = {d["Key"]: d for d in result["Deleted"]}
        self.assertEqual(deleted["x"]["VersionId"], v1)
        self.assertTrue(deleted["y"]["DeleteMarker"])
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="x")["Body"].read(), b"2")

    def test_copy_from_an_old_version(self):
        v1 = self.s3.put_object(Bucket=self.bucket, Key="src", Body=b"old")["VersionId"]
        self.s3.put_object(Bucket=self.bucket, Key="src", Body=b"new")
        copied = self.s3.copy_object(Bucket=self.bucket, Key="dst", CopySource={"Bucket": self.bucket, "Key": "src", "VersionId": v1})
        self.assertEqual(copied["CopySourceVersionId"], v1)
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="dst")["Body"].read(), b"old")

    def test_bad_version_ids(self):
        self.s3.put_object(Bucket=self.bucket, Key="x", Body=b"1")
        with self.assertRaises(ClientError) as caught:
            self.s3.get_object(Bucket=self.bucket, Key="x", VersionId="bad")
        self.assertEqual(caught.exception.response["Error"]["Code"], "InvalidArgument")
        with self.assertRaises(ClientError) as caught:
            self.s3.get_object(Bucket=self.bucket, Key="x", VersionId="A" * 32)
        self.assertEqual(caught.exception.response["Error"]["Code"], "NoSuchVersion")


class Tagging(unittest.TestCase):
    def setUp(self):
        self.s3 = s3()
        self.bucket = new_bucket(self.s3)

    def test_tags_on_put_and_by_version(self):
        v1 = self.s3.put_object(Bucket=self.bucket, Key="t", Body=b"1", Tagging="a=1&b=two%20words")["VersionId"]
        self.s3.put_object(Bucket=self.bucket, Key="t", Body=b"2")
        tags = self.s3.get_object_tagging(Bucket=self.bucket, Key="t", VersionId=v1)["TagSet"]
        self.assertEqual(tags, [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "two words"}])
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="t", VersionId=v1)["TagCount"], 2)
        self.s3.put_object_tagging(Bucket=self.bucket, Key="t", Tagging={"TagSet": [{"Key": "c", "Value": "3"}]})
        self.assertEqual(self.s3.get_object_tagging(Bucket=self.bucket, Key="t")["TagSet"], [{"Key": "c", "Value": "3"}])
        self.s3.delete_object_tagging(Bucket=self.bucket, Key="t")
        self.assertEqual(self.s3.get_object_tagging(Bucket=self.bucket, Key="t")["TagSet"], [])

    def test_eleven_tags_are_refused(self):
        self.s3.put_object(Bucket=self.bucket, Key="t", Body=b"1")
        with self.assertRaises(ClientError) as caught:
            self.s3.put_object_tagging(Bucket=self.bucket, Key="t", Tagging={"TagSet": [{"Key": f"k{i}", "Value": "v"} for i in range(11)]})
        self.assertEqual(caught.exception.response["Error"]["Code"], "BadRequest")


class AttributesAndPartCopy(unittest.TestCase):
    def setUp(self):
        self.s3 = s3()
        self.bucket = new_bucket(self.s3)

    def test_get_object_attributes(self):
        put = self.s3.put_object(Bucket=self.bucket, Key="a", Body=b"hello", ChecksumAlgorithm="CRC32")
        got = self.s3.get_object_attributes(Bucket=self.bucket, Key="a", ObjectAttributes=["ETag", "ObjectSize", "Checksum", "StorageClass"])
        self.assertEqual(got["ETag"], put["ETag"].strip('"'))
        self.assertEqual(got["ObjectSize"], 5)
        self.assertEqual(got["Checksum"]["ChecksumCRC32"], put["ChecksumCRC32"])
        self.assertEqual(got["VersionId"], put["VersionId"])

    def test_upload_part_copy_of_a_range(self):
        self.s3.put_object(Bucket=self.bucket, Key="src", Body=b"0123456789")
        upload = self.s3.create_multipart_upload(Bucket=self.bucket, Key="dst")["UploadId"]
        part = self.s3.upload_part_copy(Bucket=self.bucket, Key="dst", UploadId=upload, PartNumber=1,
                                        CopySource={"Bucket": self.bucket, "Key": "src"}, CopySourceRange="bytes=2-5")
        self.s3.complete_multipart_upload(Bucket=self.bucket, Key="dst", UploadId=upload,
                                          MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["CopyPartResult"]["ETag"]}]})
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="dst")["Body"].read(), b"2345")


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"boto3 s3 versioning: {result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
