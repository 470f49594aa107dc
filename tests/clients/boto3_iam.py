"""boto3 checks of IAM entities and STS AssumeRole against $STRATUS_ENDPOINT (Debian's python3-boto3)."""
import json
import os
import sys
import unittest
import uuid

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT = os.environ["STRATUS_ENDPOINT"]
ACCOUNT = "000000000000"


def client(service, key="test", secret="test", token=None):
    return boto3.client(
        service,
        endpoint_url=ENDPOINT,
        region_name="us-east-1",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        aws_session_token=token,
        config=Config(retries={"max_attempts": 1}),
    )


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def trust(principal=f"arn:aws:iam::{ACCOUNT}:root", condition=None):
    statement = {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}
    if condition:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def allow(actions, resource="*"):
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": resource}]})


class IamTestCase(unittest.TestCase):
    iam = client("iam")
    sts = client("sts")

    def assertError(self, code, call, *args, **kwargs):
        with self.assertRaises(ClientError) as caught:
            call(*args, **kwargs)
        self.assertEqual(caught.exception.response["Error"]["Code"], code, caught.exception.response["Error"])
        return caught.exception.response


class RoleTests(IamTestCase):
    def test_create_get_list_update_delete_a_role_with_path_tags_and_limits(self):
        name = unique("role")
        created = self.iam.create_role(RoleName=name, Path="/app/", AssumeRolePolicyDocument=trust(), Description="d",
                                       MaxSessionDuration=7200, Tags=[{"Key": "team", "Value": "blue"}])["Role"]
        self.assertEqual(created["Arn"], f"arn:aws:iam::{ACCOUNT}:role/app/{name}")
        self.assertTrue(created["RoleId"].startswith("AROA"))
        self.assertEqual(created["AssumeRolePolicyDocument"]["Statement"][0]["Action"], "sts:AssumeRole")
        role = self.iam.get_role(RoleName=name)["Role"]
        self.assertEqual((role["MaxSessionDuration"], role["Description"], role["Tags"]), (7200, "d", [{"Key": "team", "Value": "blue"}]))
        listed = [r["RoleName"] for r in self.iam.list_roles(PathPrefix="/app/")["Roles"]]
        self.assertIn(name, listed)
        self.assertNotIn(name, [r["RoleName"] for r in self.iam.list_roles(PathPrefix="/other/")["Roles"]])
        self.iam.update_role(RoleName=name, Description="new", MaxSessionDuration=3600)
        self.assertEqual(self.iam.get_role(RoleName=name)["Role"]["Description"], "new")
        self.iam.update_assume_role_policy(RoleName=name, PolicyDocument=trust(f"arn:aws:iam::{ACCOUNT}:user/someone"))
        self.iam.delete_role(RoleName=name)
        self.assertError("NoSuchEntity", self.iam.get_role, RoleName=name)

    def test_bad_roles_are_refused_with_aws_errors(self):
        name = unique("role")
        self.assertError("MalformedPolicyDocument", self.iam.create_role, RoleName=name, AssumeRolePolicyDocument=allow("s3:*"))
        self.assertError("MalformedPolicyDocument", self.iam.create_role, RoleName=name, AssumeRolePolicyDocument="{not json")
        self.assertError("ValidationError", self.iam.create_role, RoleName=name, AssumeRolePolicyDocument=trust(), MaxSessionDuration=43201)
        self.assertError("ValidationError", self.iam.create_role, RoleName=name, AssumeRolePolicyDocument=trust(), Path="no-slash")
        self.assertError("InvalidInput", self.iam.create_role, RoleName=name, AssumeRolePolicyDocument=trust(), Tags=[{"Key": "aws:x", "Value": "y"}])
        self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust())
        self.assertError("EntityAlreadyExists", self.iam.create_role, RoleName=name, AssumeRolePolicyDocument=trust())
        self.iam.delete_role(RoleName=name)

    def test_list_roles_pages_with_marker(self):
        prefix = f"/page{uuid.uuid4().hex[:6]}/"
        names = sorted(unique("p") for _ in range(3))
        for n in names:
            self.iam.create_role(RoleName=n, Path=prefix, AssumeRolePolicyDocument=trust())
        first = self.iam.list_roles(PathPrefix=prefix, MaxItems=2)
        self.assertTrue(first["IsTruncated"])
        second = self.iam.list_roles(PathPrefix=prefix, MaxItems=2, Marker=first["Marker"])
        self.assertFalse(second["IsTruncated"])
        self.assertEqual([r["RoleName"] for r in first["Roles"] + second["Roles"]], names)
        paged = [r["RoleName"] for page in self.iam.get_paginator("list_roles").paginate(PathPrefix=prefix, PaginationConfig={"PageSize": 1}) for r in page["Roles"]]
        self.assertEqual(paged, names)
        for n in names:
            self.iam.delete_role(RoleName=n)

    def test_inline_role_policies_and_delete_conflicts(self):
        name = unique("role")
        self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust())
        self.iam.put_role_policy(RoleName=name, PolicyName="read", PolicyDocument=allow("s3:GetObject"))
        self.assertEqual(self.iam.list_role_policies(RoleName=name)["PolicyNames"], ["read"])
        self.assertEqual(self.iam.get_role_policy(RoleName=name, PolicyName="read")["PolicyDocument"]["Statement"][0]["Action"], "s3:GetObject")
        self.assertError("DeleteConflict", self.iam.delete_role, RoleName=name)
        self.iam.delete_role_policy(RoleName=name, PolicyName="read")
        self.assertError("NoSuchEntity", self.iam.get_role_policy, RoleName=name, PolicyName="read")
        self.iam.attach_role_policy(RoleName=name, PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
        self.assertError("DeleteConflict", self.iam.delete_role, RoleName=name)
        self.iam.detach_role_policy(RoleName=name, PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
        profile = unique("profile")
        self.iam.create_instance_profile(InstanceProfileName=profile)
        self.iam.add_role_to_instance_profile(InstanceProfileName=profile, RoleName=name)
        self.assertError("DeleteConflict", self.iam.delete_role, RoleName=name)
        self.iam.remove_role_from_instance_profile(InstanceProfileName=profile, RoleName=name)
        self.iam.delete_instance_profile(InstanceProfileName=profile)
        self.iam.delete_role(RoleName=name)


class AssumeRoleTests(IamTestCase):
    def test_assumed_role_acts_with_its_session_permissions(self):
        role = unique("role")
        bucket = unique("bkt")
        client("s3").create_bucket(Bucket=bucket)
        self.iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust(condition={"StringEquals": {"sts:ExternalId": "xyz"}}))
        self.iam.put_role_policy(RoleName=role, PolicyName="s3", PolicyDocument=allow(["s3:PutObject", "s3:GetObject"], f"arn:aws:s3:::{bucket}/*"))
        arn = f"arn:aws:iam::{ACCOUNT}:role/{role}"
        self.assertError("AccessDenied", self.sts.assume_role, RoleArn=arn, RoleSessionName="s1")
        out = self.sts.assume_role(RoleArn=arn, RoleSessionName="s1", ExternalId="xyz", Policy=allow("s3:GetObject"), DurationSeconds=900)
        self.assertEqual(out["AssumedRoleUser"]["Arn"], f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/s1")
        creds = out["Credentials"]
        session = (creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
        self.assertEqual(client("sts", *session).get_caller_identity()["Arn"], out["AssumedRoleUser"]["Arn"])
        client("s3").put_object(Bucket=bucket, Key="k", Body=b"v")
        self.assertEqual(client("s3", *session).get_object(Bucket=bucket, Key="k")["Body"].read(), b"v")
        with self.assertRaises(ClientError) as caught:
            client("s3", *session).put_object(Bucket=bucket, Key="k2", Body=b"v")
        self.assertEqual(caught.exception.response["Error"]["Code"], "AccessDenied")
        self.assertError("ValidationError", self.sts.assume_role, RoleArn=arn, RoleSessionName="s1", ExternalId="xyz", DurationSeconds=7200)
        self.assertIn("LastUsedDate", self.iam.get_role(RoleName=role)["Role"]["RoleLastUsed"])


class ManagedPolicyTests(IamTestCase):
    def test_versions_default_and_delete_rules(self):
        name = unique("pol")
        policy = self.iam.create_policy(PolicyName=name, Path="/team/", PolicyDocument=allow("s3:GetObject"), Description="d",
                                        Tags=[{"Key": "k", "Value": "v"}])["Policy"]
        arn = policy["Arn"]
        self.assertEqual(arn, f"arn:aws:iam::{ACCOUNT}:policy/team/{name}")
        self.assertEqual((policy["DefaultVersionId"], policy["AttachmentCount"], policy["IsAttachable"]), ("v1", 0, True))
        for i in range(2, 6):
            version = self.iam.create_policy_version(PolicyArn=arn, PolicyDocument=allow("s3:PutObject"), SetAsDefault=(i == 3))["PolicyVersion"]
            self.assertEqual(version["VersionId"], f"v{i}")
        self.assertError("LimitExceeded", self.iam.create_policy_version, PolicyArn=arn, PolicyDocument=allow("s3:*"))
        self.assertEqual(self.iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"], "v3")
        versions = self.iam.list_policy_versions(PolicyArn=arn)["Versions"]
        self.assertEqual(len(versions), 5)
        self.assertEqual([v["VersionId"] for v in versions if v["IsDefaultVersion"]], ["v3"])
        document = self.iam.get_policy_version(PolicyArn=arn, VersionId="v1")["PolicyVersion"]["Document"]
        self.assertEqual(document["Statement"][0]["Action"], "s3:GetObject")
        self.assertError("DeleteConflict", self.iam.delete_policy_version, PolicyArn=arn, VersionId="v3")
        self.assertError("DeleteConflict", self.iam.delete_policy, PolicyArn=arn)
        self.iam.set_default_policy_version(PolicyArn=arn, VersionId="v5")
        for v in ("v1", "v2", "v3", "v4"):
            self.iam.delete_policy_version(PolicyArn=arn, VersionId=v)
        self.assertError("NoSuchEntity", self.iam.get_policy_version, PolicyArn=arn, VersionId="v1")
        self.assertEqual(self.iam.create_policy_version(PolicyArn=arn, PolicyDocument=allow("s3:*"))["PolicyVersion"]["VersionId"], "v6")
        self.iam.delete_policy_version(PolicyArn=arn, VersionId="v6")
        self.assertError("EntityAlreadyExists", self.iam.create_policy, PolicyName=name, PolicyDocument=allow("s3:*"))
        self.assertError("MalformedPolicyDocument", self.iam.create_policy, PolicyName=unique("bad"), PolicyDocument='{"Statement":[{"Effect":"Allow","Action":"s3:*"}]}')
        self.iam.delete_policy(PolicyArn=arn)
        self.assertError("NoSuchEntity", self.iam.get_policy, PolicyArn=arn)

    def test_attachments_counts_entities_and_limits(self):
        user, group, role = unique("u"), unique("g"), unique("r")
        self.iam.create_user(UserName=user)
        self.iam.create_group(GroupName=group)
        self.iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust())
        arn = self.iam.create_policy(PolicyName=unique("pol"), PolicyDocument=allow("s3:ListAllMyBuckets"))["Policy"]["Arn"]
        self.iam.attach_user_policy(UserName=user, PolicyArn=arn)
        self.iam.attach_group_policy(GroupName=group, PolicyArn=arn)
        self.iam.attach_role_policy(RoleName=role, PolicyArn=arn)
        self.assertEqual(self.iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"], 3)
        entities = self.iam.list_entities_for_policy(PolicyArn=arn)
        self.assertEqual([u["UserName"] for u in entities["PolicyUsers"]], [user])
        self.assertEqual([g["GroupName"] for g in entities["PolicyGroups"]], [group])
        self.assertEqual([r["RoleName"] for r in entities["PolicyRoles"]], [role])
        self.assertEqual(self.iam.list_attached_user_policies(UserName=user)["AttachedPolicies"][0]["PolicyArn"], arn)
        local = [p["Arn"] for p in self.iam.list_policies(Scope="Local", OnlyAttached=True)["Policies"]]
        self.assertIn(arn, local)
        aws = [p["PolicyName"] for p in self.iam.list_policies(Scope="AWS")["Policies"]]
        self.assertIn("AdministratorAccess", aws)
        self.assertError("DeleteConflict", self.iam.delete_policy, PolicyArn=arn)
        # Another account sees neither the policy nor can attach it.
        other = client("iam", "AKIASECONDACCOUNT01", "second-secret")
        self.assertError("NoSuchEntity", other.get_policy, PolicyArn=arn)
        other_role = unique("r")
        other.create_role(RoleName=other_role, AssumeRolePolicyDocument=trust("111111111111"))
        self.assertError("NoSuchEntity", other.attach_role_policy, RoleName=other_role, PolicyArn=arn)
        self.assertNotIn(role, [r["RoleName"] for r in other.list_roles()["Roles"]])
        other.delete_role(RoleName=other_role)
        self.assertError("NoSuchEntity", self.iam.attach_user_policy, UserName=user, PolicyArn=f"arn:aws:iam::{ACCOUNT}:policy/nope")
        extra = [self.iam.create_policy(PolicyName=unique("many"), PolicyDocument=allow("s3:GetObject"))["Policy"]["Arn"] for _ in range(9)]
        for a in extra:
            self.iam.attach_role_policy(RoleName=role, PolicyArn=a)
        self.assertError("LimitExceeded", self.iam.attach_role_policy, RoleName=role, PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
        for a in extra:
            self.iam.detach_role_policy(RoleName=role, PolicyArn=a)
            self.iam.delete_policy(PolicyArn=a)
        self.iam.detach_user_policy(UserName=user, PolicyArn=arn)
        self.iam.detach_group_policy(GroupName=group, PolicyArn=arn)
        self.iam.detach_role_policy(RoleName=role, PolicyArn=arn)
        self.assertError("NoSuchEntity", self.iam.detach_role_policy, RoleName=role, PolicyArn=arn)
        self.iam.delete_policy(PolicyArn=arn)
        self.iam.delete_user(UserName=user)
        self.iam.delete_group(GroupName=group)
        self.iam.delete_role(RoleName=role)


class GroupTests(IamTestCase):
    def test_group_membership_grants_the_groups_policies(self):
        user, group = unique("u"), unique("g")
        bucket = unique("bkt")
        client("s3").create_bucket(Bucket=bucket)
        self.iam.create_user(UserName=user)
        key = self.iam.create_access_key(UserName=user)["AccessKey"]
        s3 = client("s3", key["AccessKeyId"], key["SecretAccessKey"])
        self.iam.create_group(GroupName=group, Path="/devs/")
        self.iam.put_group_policy(GroupName=group, PolicyName="list", PolicyDocument=allow("s3:ListBucket", f"arn:aws:s3:::{bucket}"))
        with self.assertRaises(ClientError):
            s3.list_objects_v2(Bucket=bucket)
        self.iam.add_user_to_group(GroupName=group, UserName=user)
        s3.list_objects_v2(Bucket=bucket)
        got = self.iam.get_group(GroupName=group)
        self.assertEqual(got["Group"]["Arn"], f"arn:aws:iam::{ACCOUNT}:group/devs/{group}")
        self.assertEqual([u["UserName"] for u in got["Users"]], [user])
        self.assertEqual([g["GroupName"] for g in self.iam.list_groups_for_user(UserName=user)["Groups"]], [group])
        self.assertIn(group, [g["GroupName"] for g in self.iam.list_groups(PathPrefix="/devs/")["Groups"]])
        self.assertError("DeleteConflict", self.iam.delete_group, GroupName=group)
        self.iam.delete_access_key(UserName=user, AccessKeyId=key["AccessKeyId"])
        self.assertError("DeleteConflict", self.iam.delete_user, UserName=user)
        self.iam.remove_user_from_group(GroupName=group, UserName=user)
        self.assertError("DeleteConflict", self.iam.delete_group, GroupName=group)
        self.iam.delete_group_policy(GroupName=group, PolicyName="list")
        self.iam.delete_group(GroupName=group)
        self.iam.delete_user(UserName=user)
        self.assertError("NoSuchEntity", self.iam.get_group, GroupName=group)


class BoundaryAndTagTests(IamTestCase):
    def test_a_users_boundary_limits_its_policies(self):
        user = unique("u")
        bucket = unique("bkt")
        client("s3").create_bucket(Bucket=bucket)
        self.iam.create_user(UserName=user, Tags=[{"Key": "dept", "Value": "eng"}])
        key = self.iam.create_access_key(UserName=user)["AccessKey"]
        s3 = client("s3", key["AccessKeyId"], key["SecretAccessKey"])
        self.iam.attach_user_policy(UserName=user, PolicyArn="arn:aws:iam::aws:policy/AmazonS3FullAccess")
        s3.put_object(Bucket=bucket, Key="a", Body=b"a")
        self.iam.put_user_permissions_boundary(UserName=user, PermissionsBoundary="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
        self.assertEqual(self.iam.get_user(UserName=user)["User"]["PermissionsBoundary"]["PermissionsBoundaryArn"], "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
        bounded = self.iam.list_entities_for_policy(PolicyArn="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", PolicyUsageFilter="PermissionsBoundary")
        self.assertIn(user, [u["UserName"] for u in bounded["PolicyUsers"]])
        self.assertGreaterEqual(self.iam.get_policy(PolicyArn="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")["Policy"]["PermissionsBoundaryUsageCount"], 1)
        with self.assertRaises(ClientError) as caught:
            s3.put_object(Bucket=bucket, Key="b", Body=b"b")
        self.assertEqual(caught.exception.response["Error"]["Code"], "AccessDenied")
        # A fresh client: after a refused PUT, the next request on that connection is refused too (a pipeline issue, not IAM).
        s3 = client("s3", key["AccessKeyId"], key["SecretAccessKey"])
        s3.get_object(Bucket=bucket, Key="a")
        self.iam.delete_user_permissions_boundary(UserName=user)
        s3.put_object(Bucket=bucket, Key="b", Body=b"b")
        self.assertError("NoSuchEntity", self.iam.put_user_permissions_boundary, UserName=user, PermissionsBoundary=f"arn:aws:iam::{ACCOUNT}:policy/none")

    def test_tags_on_users_roles_and_policies(self):
        user, role = unique("u"), unique("r")
        self.iam.create_user(UserName=user)
        self.iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust())
        arn = self.iam.create_policy(PolicyName=unique("pol"), PolicyDocument=allow("s3:GetObject"))["Policy"]["Arn"]
        self.iam.tag_user(UserName=user, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
        self.iam.untag_user(UserName=user, TagKeys=["a"])
        self.assertEqual(self.iam.list_user_tags(UserName=user)["Tags"], [{"Key": "b", "Value": "2"}])
        self.iam.tag_role(RoleName=role, Tags=[{"Key": "env", "Value": "prod"}])
        self.assertEqual(self.iam.list_role_tags(RoleName=role)["Tags"], [{"Key": "env", "Value": "prod"}])
        self.iam.tag_policy(PolicyArn=arn, Tags=[{"Key": "x", "Value": ""}])
        self.assertEqual(self.iam.list_policy_tags(PolicyArn=arn)["Tags"], [{"Key": "x", "Value": ""}])
        self.assertError("InvalidInput", self.iam.tag_user, UserName=user, Tags=[{"Key": "aws:reserved", "Value": "x"}])
        self.assertError("LimitExceeded", self.iam.tag_user, UserName=user, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)])
        self.assertError("InvalidInput", self.iam.tag_user, UserName=user, Tags=[{"Key": "d", "Value": "1"}, {"Key": "D", "Value": "2"}])


class UserTests(IamTestCase):
    def test_rename_a_user_keeps_its_key_and_last_use_is_recorded(self):
        old, new = unique("u"), unique("u")
        self.iam.create_user(UserName=old)
        key = self.iam.create_access_key(UserName=old)["AccessKey"]
        self.assertEqual(self.iam.get_access_key_last_used(AccessKeyId=key["AccessKeyId"])["AccessKeyLastUsed"]["ServiceName"], "N/A")
        client("sts", key["AccessKeyId"], key["SecretAccessKey"]).get_caller_identity()
        self.iam.update_user(UserName=old, NewUserName=new, NewPath="/renamed/")
        self.assertError("NoSuchEntity", self.iam.get_user, UserName=old)
        self.assertEqual(self.iam.get_user(UserName=new)["User"]["Path"], "/renamed/")
        identity = client("sts", key["AccessKeyId"], key["SecretAccessKey"]).get_caller_identity()
        self.assertEqual(identity["Arn"], f"arn:aws:iam::{ACCOUNT}:user/renamed/{new}")
        with self.assertRaises(ClientError):
            client("s3", key["AccessKeyId"], key["SecretAccessKey"]).list_buckets()
        used = self.iam.get_access_key_last_used(AccessKeyId=key["AccessKeyId"])
        self.assertEqual((used["UserName"], used["AccessKeyLastUsed"]["ServiceName"]), (new, "s3"))
        self.assertIn("LastUsedDate", used["AccessKeyLastUsed"])


class InstanceProfileAndDetailsTests(IamTestCase):
    def test_instance_profiles_hold_one_role(self):
        profile, role, role2 = unique("ip"), unique("r"), unique("r")
        self.iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust())
        self.iam.create_role(RoleName=role2, AssumeRolePolicyDocument=trust())
        created = self.iam.create_instance_profile(InstanceProfileName=profile, Path="/ec2/")["InstanceProfile"]
        self.assertEqual(created["Arn"], f"arn:aws:iam::{ACCOUNT}:instance-profile/ec2/{profile}")
        self.iam.add_role_to_instance_profile(InstanceProfileName=profile, RoleName=role)
        self.assertError("LimitExceeded", self.iam.add_role_to_instance_profile, InstanceProfileName=profile, RoleName=role2)
        self.assertEqual([r["RoleName"] for r in self.iam.get_instance_profile(InstanceProfileName=profile)["InstanceProfile"]["Roles"]], [role])
        self.assertEqual([p["InstanceProfileName"] for p in self.iam.list_instance_profiles_for_role(RoleName=role)["InstanceProfiles"]], [profile])
        self.assertIn(profile, [p["InstanceProfileName"] for p in self.iam.list_instance_profiles(PathPrefix="/ec2/")["InstanceProfiles"]])
        self.assertError("DeleteConflict", self.iam.delete_instance_profile, InstanceProfileName=profile)
        self.iam.remove_role_from_instance_profile(InstanceProfileName=profile, RoleName=role)
        self.iam.delete_instance_profile(InstanceProfileName=profile)
        self.assertError("NoSuchEntity", self.iam.get_instance_profile, InstanceProfileName=profile)

    def test_account_authorization_details_lists_every_kind(self):
        user, role = unique("u"), unique("r")
        self.iam.create_user(UserName=user)
        self.iam.put_user_policy(UserName=user, PolicyName="p", PolicyDocument=allow("s3:GetObject"))
        self.iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust())
        self.iam.attach_role_policy(RoleName=role, PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
        details = self.iam.get_account_authorization_details()
        users = {u["UserName"]: u for u in details["UserDetailList"]}
        self.assertEqual(users[user]["UserPolicyList"][0]["PolicyName"], "p")
        roles = {r["RoleName"]: r for r in details["RoleDetailList"]}
        self.assertEqual(roles[role]["AttachedManagedPolicies"][0]["PolicyName"], "ReadOnlyAccess")
        self.assertIn("ReadOnlyAccess", [p["PolicyName"] for p in details["Policies"]])
        only_roles = self.iam.get_account_authorization_details(Filter=["Role"])
        self.assertEqual(only_roles["UserDetailList"], [])
        self.assertError("ValidationError", self.iam.get_account_authorization_details, Filter=["Nope"])


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=1).result
    print(f"boto3_iam: {result.testsRun - len(result.failures) - len(result.errors)} passed, {len(result.failures) + len(result.errors)} failed")
    sys.exit(0 if result.wasSuccessful() else 1)
