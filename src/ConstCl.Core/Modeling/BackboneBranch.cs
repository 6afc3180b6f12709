namespace ConstCl.Modeling;

/// <summary>Which res5 branch of <see cref="ResNet3dY"/> to run.</summary>
public enum BackboneBranch
{
    /// <summary>res5: trained by the global (video-level) loss; use it for clip embeddings.</summary>
    Global,

    /// <summary>res5_local: trained by the region loss; use it for dense / instance features.</summary>
    Local,
}
