namespace Stratus.Protocol.Checksums;

/// <summary>The S3 additional checksum algorithms (<c>x-amz-checksum-*</c>).</summary>
public enum ChecksumAlgorithm
{
    Crc32,
    Crc32C,
    Crc64Nvme,
    Sha1,
    Sha256,
}
