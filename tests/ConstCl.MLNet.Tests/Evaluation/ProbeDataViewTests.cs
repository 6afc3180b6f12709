using ConstCl.MLNet.Evaluation;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ConstCl.MLNet.Tests.Evaluation;

public sealed class ProbeDataViewTests
{
    [Fact]
    public void Keys_are_the_class_index_plus_one_and_vectors_pass_unchanged()
    {
        // LoadFromEnumerable stores a key-typed uint as value + 1: a wrong offset here once shifted every label by one class.
        var (train, _, _) = ProbeExamples.Clusters(classes: 5, trainPerClass: 2, testPerClass: 1, dim: 6, noise: 1, seed: 5);
        var ml = new MLContext(0);
        var view = LinearProbe.ToDataView(ml, train, 6, 5);
        Assert.Equal(new KeyDataViewType(typeof(uint), 5), view.Schema["Label"].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 6), view.Schema["Features"].Type);
        Assert.Equal(train.Select(t => (uint)t.ClassIndex + 1), view.GetColumn<uint>("Label"));
        var features = view.GetColumn<float[]>("Features").ToArray();
        for (int i = 0; i < train.Count; i++)
        {
            Assert.Equal(train[i].Vector, features[i]);
        }
    }
}
