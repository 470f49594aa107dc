namespace Stratus.S3.Metadata;

/// <summary>An object version's Object Lock state: a retention (mode and date) and a legal hold, each optional.</summary>
internal sealed class ObjectLock
{
    /// <summary><c>GOVERNANCE</c> or <c>COMPLIANCE</c>, or null for no retention.</summary>
    public string? Mode { get; set; }

    /// <summary>Until when (Unix milliseconds) the retention protects the version.</summary>
    public long? RetainUntil { get; set; }

    /// <summary>The legal hold: true ON, false OFF, null never set.</summary>
    public bool? LegalHold { get; set; }
}
