namespace EventKit.Caching.Tests.Conformance;

/// <summary>A value whose <see cref="Via"/> records which serializer read it.</summary>
public sealed record Widget(string Name, string Via = "");

