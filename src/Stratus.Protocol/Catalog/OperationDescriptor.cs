namespace Stratus.Protocol.Catalog;

/// <summary>One operation of an AWS API as its model defines it: name and, for REST protocols, the HTTP binding.</summary>
/// <param name="Name">The operation name, for example <c>GetObject</c>.</param>
/// <param name="Method">The HTTP method of a REST binding (POST for RPC protocols).</param>
/// <param name="UriTemplate">The path template of a REST binding, for example <c>/{Bucket}/{Key+}</c>.</param>
/// <param name="RequiredQuery">Query parameters the binding requires, as <c>name</c> or <c>name=value</c>.</param>
/// <param name="RequiredHeaders">Lower-case header names the binding requires.</param>
/// <param name="Deprecated">True when the model marks the operation deprecated (it loses ties in routing).</param>
public sealed record OperationDescriptor(
    string Name,
    string Method,
    string UriTemplate,
    string[] RequiredQuery,
    string[] RequiredHeaders,
    bool Deprecated)
{
    private UriTemplate? _template;

    /// <summary>The parsed path template.</summary>
    public UriTemplate Template => _template ??= Catalog.UriTemplate.Parse(UriTemplate);

    /// <summary>The service this operation belongs to; set when the catalog is built.</summary>
    public ServiceDescriptor Service { get; internal set; } = null!;

    public override string ToString() => $"{Service?.Name}:{Name}";
}
