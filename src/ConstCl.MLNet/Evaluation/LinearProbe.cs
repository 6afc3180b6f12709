using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace ConstCl.MLNet.Evaluation;

/// <summary>
/// The linear-probe evaluation of frozen embeddings: an ML.NET multinomial logistic regression
/// (<c>LbfgsMaximumEntropy</c> by default, <c>SdcaMaximumEntropy</c> as an option) fitted on the training embeddings and
/// scored on the test embeddings; the result has top-1, top-5, mean per-class accuracy, the per-class table and the
/// confusion matrix. Features are standardised on the training set first (<see cref="LinearProbeOptions.Standardize"/>). CVRL's probe (spec §6) trains a linear layer with SGD on augmented clips; this one fits the same
/// model family in closed form on one averaged, L2-normalised embedding per video.
/// </summary>
public sealed class LinearProbe
{
    /// <summary>Name of the label column (a key of the class count).</summary>
    internal const string LabelColumn = "Label";

    /// <summary>Name of the feature column (a float vector of the embedding width).</summary>
    internal const string FeatureColumn = "Features";

    /// <summary>Creates a probe.</summary>
    /// <param name="options">Hyper-parameters; null: defaults.</param>
    public LinearProbe(LinearProbeOptions? options = null)
    {
        Options = (options ?? new LinearProbeOptions()).Validate();
    }

    /// <summary>The validated hyper-parameters.</summary>
    public LinearProbeOptions Options { get; }

    /// <summary>Seconds the last <see cref="Evaluate"/> spent fitting the trainer (not scoring).</summary>
    public double LastFitSeconds { get; private set; }

    /// <summary>Fits the trainer on <paramref name="train"/> and measures it on <paramref name="test"/>.</summary>
    /// <param name="train">Training examples (every class index in range; all vectors the same width D).</param>
    /// <param name="test">Test examples (same width).</param>
    /// <param name="classNames">Class names in class-index order (the score vector has one entry per class, even for a class without training examples).</param>
    /// <exception cref="ArgumentException">Empty sets, unequal widths, or a class index out of range (the message names the example).</exception>
    public ClassificationResult Evaluate(IReadOnlyList<LabeledEmbedding> train, IReadOnlyList<LabeledEmbedding> test, IReadOnlyList<string> classNames)
    {
        int dim = CheckExamples(train, test, classNames);
        var ml = new MLContext(Options.Seed);
        var watch = Stopwatch.StartNew();
        var model = Fit(ml, ToDataView(ml, train, dim, classNames.Count));
        LastFitSeconds = watch.Elapsed.TotalSeconds;
        var scores = Score(ml, model, test, dim, classNames.Count);
        return ClassificationResult.FromScores(Options.TrainerName, classNames, train.Count, test.Select(t => t.ClassIndex).ToArray(), scores, Options.Describe());
    }

    /// <summary>The examples as an ML.NET data view: <c>Label</c> (key of <paramref name="classes"/>), <c>Features</c> (float vector of <paramref name="dim"/>).</summary>
    internal static IDataView ToDataView(MLContext ml, IReadOnlyList<LabeledEmbedding> examples, int dim, int classes)
    {
        var schema = SchemaDefinition.Create(typeof(ProbeRow));
        schema[nameof(ProbeRow.Label)].ColumnType = new KeyDataViewType(typeof(uint), classes);
        schema[nameof(ProbeRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dim);
        var rows = examples.Select(e => new ProbeRow { Label = (uint)e.ClassIndex, Features = e.Vector }).ToList();
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    /// <summary>The configured ML.NET trainer over <see cref="LabelColumn"/> and <see cref="FeatureColumn"/>.</summary>
    internal IEstimator<ITransformer> CreateTrainer(MLContext ml)
    {
        if (Options.Trainer == ProbeTrainer.Lbfgs)
        {
            return ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = LabelColumn,
                FeatureColumnName = FeatureColumn,
                L2Regularization = Options.LbfgsL2,
                L1Regularization = Options.LbfgsL1,
                OptimizationTolerance = Options.OptimizationTolerance,
                MaximumNumberOfIterations = Options.LbfgsIterations,
                HistorySize = Options.HistorySize,
                NumberOfThreads = Options.NumberOfThreads,
            });
        }

        return ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
        {
            LabelColumnName = LabelColumn,
            FeatureColumnName = FeatureColumn,
            L2Regularization = Options.L2Regularization,
            L1Regularization = Options.L1Regularization,
            ConvergenceTolerance = Options.ConvergenceTolerance,
            MaximumNumberOfIterations = Options.MaximumNumberOfIterations,
            NumberOfThreads = Options.NumberOfThreads,
        });
    }

    /// <summary>Fits the configured trainer, after the standardiser when <see cref="LinearProbeOptions.Standardize"/> is set.</summary>
    internal ITransformer Fit(MLContext ml, IDataView train) => Options.Standardize
        ? ml.Transforms.NormalizeMeanVariance(FeatureColumn, fixZero: false).Append(CreateTrainer(ml)).Fit(train)
        : CreateTrainer(ml).Fit(train);

    /// <summary>Score rows <c>[test][classes]</c> of <paramref name="model"/> (slot c = class c).</summary>
    internal static float[][] Score(MLContext ml, ITransformer model, IReadOnlyList<LabeledEmbedding> test, int dim, int classes)
    {
        var scored = model.Transform(ToDataView(ml, test, dim, classes));
        return scored.GetColumn<float[]>("Score").ToArray();
    }

    /// <summary>Checks the examples; returns D.</summary>
    internal static int CheckExamples(IReadOnlyList<LabeledEmbedding> train, IReadOnlyList<LabeledEmbedding> test, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count < 2)
        {
            throw new ArgumentException($"A probe needs at least two classes; got {classNames.Count}.", nameof(classNames));
        }

        if (train.Count == 0 || test.Count == 0)
        {
            throw new ArgumentException($"A probe needs training and test examples; got {train.Count} training and {test.Count} test examples.", train.Count == 0 ? nameof(train) : nameof(test));
        }

        int dim = train[0].Vector?.Length ?? 0;
        if (dim == 0)
        {
            throw new ArgumentException("Training example 0 has an empty embedding.", nameof(train));
        }

        foreach (var (set, name) in new[] { (train, nameof(train)), (test, nameof(test)) })
        {
            for (int i = 0; i < set.Count; i++)
            {
                var e = set[i] ?? throw new ArgumentException($"{name} example {i} is null.", name);
                if (e.Vector is null || e.Vector.Length != dim)
                {
                    throw new ArgumentException($"{name} example {i} has an embedding of {e.Vector?.Length ?? 0} values; expected {dim} like training example 0.", name);
                }

                if ((uint)e.ClassIndex >= (uint)classNames.Count)
                {
                    throw new ArgumentException($"{name} example {i} has class index {e.ClassIndex}; expected 0..{classNames.Count - 1}.", name);
                }
            }
        }

        return dim;
    }
}
