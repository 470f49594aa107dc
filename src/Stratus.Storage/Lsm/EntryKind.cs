namespace Stratus.Storage.Lsm;

/// <summary>The kind of an entry, stored in the low byte of its tag.</summary>
internal enum EntryKind : byte
{
    Delete = 0,
    Put = 1,
    DeleteRange = 2,
}
