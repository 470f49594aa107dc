namespace Stratus.Core;

/// <summary>Who caused an error, as the query protocols report it in <c>&lt;Type&gt;</c>.</summary>
public enum ErrorFault
{
    Sender,
    Receiver,
}
