using System.Text.Json;
using ConstCl.MLNet;
using Microsoft.ML;
using Microsoft.ML.Data;

// Usage: ConstCl.MLNet.LoadCheck MODEL.zip INPUT.tsv OUTPUT.json [--evaluate]
// INPUT.tsv: a header line of column names, then rows; every column is text. Loads the model in this fresh process
// (after registering the ConstCl assembly), transforms the rows and writes every Single, Single-vector, Boolean and text
// column of the output as JSON; with --evaluate also the multiclass metrics (Label vs PredictedLabel/Score).
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: ConstCl.MLNet.LoadCheck MODEL.zip INPUT.tsv OUTPUT.json [--evaluate]");
    return 2;
}

var ml = new MLContext(seed: 1) { TempFilePath = Path.GetDirectoryName(Path.GetFullPath(args[2]))! };
ml.ComponentCatalog.RegisterAssembly(typeof(ConstClCatalog).Assembly);
var names = File.ReadLines(args[1]).First().Split('\t');
var loader = ml.Data.CreateTextLoader(
    names.Select((n, i) => new TextLoader.Column(n, DataKind.String, i)).ToArray(),
    separatorChar: '\t', hasHeader: true, allowQuoting: false);
var data = loader.Load(args[1]);
var model = ml.Model.Load(args[0], out var inputSchema);
try
{
    var output = model.Transform(data);
    var result = new Dictionary<string, object>();
    var columns = new Dictionary<string, object>();
    var types = new Dictionary<string, string>();
    foreach (var column in output.Schema.Where(c => !c.IsHidden))
    {
        types[column.Name] = column.Type.ToString() ?? "";
        if (column.Type is VectorDataViewType { ItemType: NumberDataViewType } v && v.ItemType.RawType == typeof(float))
        {
            columns[column.Name] = output.GetColumn<float[]>(column.Name).ToList();
        }
        else if (column.Type.RawType == typeof(float))
        {
            columns[column.Name] = output.GetColumn<float>(column.Name).ToList();
        }
        else if (column.Type is BooleanDataViewType)
        {
            columns[column.Name] = output.GetColumn<bool>(column.Name).ToList();
        }
        else if (column.Type is TextDataViewType)
        {
            columns[column.Name] = output.GetColumn<string>(column.Name).ToList();
        }
    }

    result["types"] = types;
    result["columns"] = columns;
    result["inputSchema"] = inputSchema.Select(c => c.Name).ToList();
    if (args.Contains("--evaluate"))
    {
        var metrics = ml.MulticlassClassification.Evaluate(output, labelColumnName: "Label");
        result["metrics"] = new Dictionary<string, double>
        {
            ["MicroAccuracy"] = metrics.MicroAccuracy,
            ["MacroAccuracy"] = metrics.MacroAccuracy,
            ["LogLoss"] = metrics.LogLoss,
        };
    }

    var temp = args[2] + ".tmp";
    File.WriteAllText(temp, JsonSerializer.Serialize(result));
    File.Move(temp, args[2], overwrite: true);
    return 0;
}
finally
{
    (model as IDisposable)?.Dispose();
}
