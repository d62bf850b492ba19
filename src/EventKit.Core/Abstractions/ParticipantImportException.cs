namespace EventKit;

/// <summary>A participant import or update was refused; nothing of that call was stored.</summary>
public sealed class ParticipantImportException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ParticipantImportException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public ParticipantImportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ParticipantImportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for one item of an import.</summary>
    /// <param name="index">The zero-based index of the item at fault.</param>
    /// <param name="field">The field at fault (camelCase).</param>
    /// <param name="message">What is wrong; never contains the credential.</param>
    public ParticipantImportException(int index, string field, string message)
        : base($"Item {index}: {message}")
    {
        Index = index;
        Field = field;
    }

    /// <summary>The zero-based index of the item at fault, if one item is.</summary>
    public int? Index { get; }

    /// <summary>The field at fault, if one is.</summary>
    public string? Field { get; }
}
