namespace ConstCl.MLNet;

/// <summary>
/// A video that ConstCl cannot embed (missing, unreadable, not a video), with ConstCl's message naming it. Internal:
/// users catch <see cref="InvalidOperationException"/>; the type lets ConstCl's boundaries find its own error under
/// ML.NET's wrappers and put it back on top.
/// </summary>
internal sealed class VideoEmbeddingException : InvalidOperationException
{
    public VideoEmbeddingException(string path, Exception reason)
        : base(EmbeddingErrors.CannotDecode(path, reason), reason)
    {
    }

    private VideoEmbeddingException(string message, Exception inner, bool _)
        : base(message, inner)
    {
    }

    /// <summary>
    /// Runs <paramref name="work"/>; when it fails with ML.NET's wrapper around a ConstCl video error (for example
    /// "Splitter/consolidator worker encountered exception …" while reading an upstream view), rethrows ConstCl's message
    /// on top with the whole original exception as the inner one.
    /// </summary>
    public static T Surface<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (Exception ex) when (ex is not VideoEmbeddingException && Find(ex) is { } ours)
        {
            throw new VideoEmbeddingException(ours.Message, ex, true);
        }
    }

    private static VideoEmbeddingException? Find(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is VideoEmbeddingException ours)
            {
                return ours;
            }

            if (e is AggregateException aggregate && aggregate.InnerExceptions.Select(Find).FirstOrDefault(f => f is not null) is { } found)
            {
                return found;
            }
        }

        return null;
    }
}
