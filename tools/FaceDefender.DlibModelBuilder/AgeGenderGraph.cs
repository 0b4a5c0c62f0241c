using FaceDefender.ModelConverter;

namespace FaceDefender.DlibModelBuilder;

/// <summary>
/// Writes face-api's age and gender network (a small Xception, <c>model/age_gender_model.bin</c> of
/// @vladmandic/face-api) as an ONNX opset-13 graph, for measuring the avatars only: it is never shipped. Input
/// <c>input</c> [N, 3, 112, 112] NCHW RGB, already normalised as <c>(pixel - mean RGB (122.782, 117.001, 104.298)) / 255</c>;
/// outputs <c>age</c> [N, 1] (years) and <c>gender</c> [N, 2] (softmax; index 0 = male). Facts of the network, from the
/// package's TypeScript (src/xception/TinyXception.ts, src/ageGenderNet/AgeGenderNet.ts): every convolution uses TF
/// 'same' padding and adds a bias; a separable convolution is a 3 x 3 depthwise then a 1 x 1 pointwise filter plus
/// bias; the stem is a stride-2 3 x 3 conv + ReLU; a reduction block is [ReLU] sepconv, ReLU, sepconv, a 3 x 3
/// stride-2 max pool, plus a stride-2 1 x 1 conv of the block input; a main block is three (ReLU, sepconv) plus its
/// input; then an exit reduction block, a sepconv + ReLU, a 7 x 7 average pool (the whole 7 x 7 map) and two fully
/// connected heads.
/// </summary>
internal sealed class AgeGenderGraph
{
    public const int InputSize = 112;

    private readonly TfjsWeights _weights;
    private readonly OnnxModel _model = new();
    private int _counter;

    private AgeGenderGraph(TfjsWeights weights) => _weights = weights;

    public static OnnxModel Build(TfjsWeights weights) => new AgeGenderGraph(weights).BuildGraph();

    private OnnxModel BuildGraph()
    {
        _model.GraphName = "face_api_age_gender";
        _model.Inputs.Add(new OnnxValueInfo("input", OnnxDataType.Float, [null, 3, InputSize, InputSize]));

        string x = Relu(Conv("input", "entry_flow/conv_in", stride: 2));
        x = ReductionBlock(x, "entry_flow/reduction_block_0", activateInput: false);
        x = ReductionBlock(x, "entry_flow/reduction_block_1", activateInput: true);
        x = MainBlock(x, "middle_flow/main_block_0");
        x = MainBlock(x, "middle_flow/main_block_1");
        x = ReductionBlock(x, "exit_flow/reduction_block", activateInput: true);
        x = Relu(SeparableConv(x, "exit_flow/separable_conv"));

        string pooled = Node("ReduceMean", [x], [new OnnxAttribute("axes", Ints: [2, 3]), new OnnxAttribute("keepdims", Int: 0)]);
        string age = FullyConnected(pooled, "fc/age");
        string genderLogits = FullyConnected(pooled, "fc/gender");
        _model.Nodes.Add(new OnnxNode("Identity", "age_out", [age], ["age"], []));
        _model.Nodes.Add(new OnnxNode("Softmax", "gender_softmax", [genderLogits], ["gender"], [new OnnxAttribute("axis", Int: 1)]));
        _model.Outputs.Add(new OnnxValueInfo("age", OnnxDataType.Float, [null, 1]));
        _model.Outputs.Add(new OnnxValueInfo("gender", OnnxDataType.Float, [null, 2]));
        return _model;
    }

    private string ReductionBlock(string x, string prefix, bool activateInput)
    {
        string y = activateInput ? Relu(x) : x;
        y = SeparableConv(y, $"{prefix}/separable_conv0");
        y = SeparableConv(Relu(y), $"{prefix}/separable_conv1");
        y = Node("MaxPool", [y],
        [
            new OnnxAttribute("kernel_shape", Ints: [3, 3]),
            new OnnxAttribute("strides", Ints: [2, 2]),
            new OnnxAttribute("auto_pad", String: "SAME_UPPER"),
        ]);
        return Node("Add", [y, Conv(x, $"{prefix}/expansion_conv", stride: 2)], []);
    }

    private string MainBlock(string x, string prefix)
    {
        string y = SeparableConv(Relu(x), $"{prefix}/separable_conv0");
        y = SeparableConv(Relu(y), $"{prefix}/separable_conv1");
        y = SeparableConv(Relu(y), $"{prefix}/separable_conv2");
        return Node("Add", [y, x], []);
    }

    /// <summary>A TF conv2d ('same', HWIO filters) plus bias.</summary>
    private string Conv(string x, string prefix, int stride)
    {
        var (shape, filters) = _weights.Get($"{prefix}/filters");
        int kh = shape[0], kw = shape[1], cin = shape[2], cout = shape[3];
        var oihw = new float[filters.Length];
        for (int h = 0; h < kh; h++)
        {
            for (int w = 0; w < kw; w++)
            {
                for (int i = 0; i < cin; i++)
                {
                    for (int o = 0; o < cout; o++)
                    {
                        oihw[(((o * cin) + i) * kh + h) * kw + w] = filters[(((h * kw) + w) * cin + i) * cout + o];
                    }
                }
            }
        }

        string wName = Constant($"{prefix}/filters", [cout, cin, kh, kw], oihw);
        string bName = Constant($"{prefix}/bias", [cout], _weights.Get($"{prefix}/bias").Values);
        return Node("Conv", [x, wName, bName],
        [
            new OnnxAttribute("kernel_shape", Ints: [kh, kw]),
            new OnnxAttribute("strides", Ints: [stride, stride]),
            new OnnxAttribute("auto_pad", String: "SAME_UPPER"),
        ]);
    }

    /// <summary>A TF separableConv2d (stride 1, 'same'): depthwise HWCM (M = 1) then pointwise 1 x 1 HWIO, plus bias.</summary>
    private string SeparableConv(string x, string prefix)
    {
        var (dShape, depthwise) = _weights.Get($"{prefix}/depthwise_filter");
        int kh = dShape[0], kw = dShape[1], c = dShape[2];
        if (dShape[3] != 1)
        {
            throw new InvalidDataException($"{prefix}: depth multiplier {dShape[3]} (only 1 occurs in this network).");
        }

        var dw = new float[depthwise.Length];
        for (int h = 0; h < kh; h++)
        {
            for (int w = 0; w < kw; w++)
            {
                for (int ch = 0; ch < c; ch++)
                {
                    dw[((ch * kh) + h) * kw + w] = depthwise[((h * kw) + w) * c + ch];
                }
            }
        }

        string dName = Constant($"{prefix}/depthwise_filter", [c, 1, kh, kw], dw);
        string depth = Node("Conv", [x, dName],
        [
            new OnnxAttribute("kernel_shape", Ints: [kh, kw]),
            new OnnxAttribute("strides", Ints: [1, 1]),
            new OnnxAttribute("auto_pad", String: "SAME_UPPER"),
            new OnnxAttribute("group", Int: c),
        ]);

        var (pShape, pointwise) = _weights.Get($"{prefix}/pointwise_filter");
        int cin = pShape[2], cout = pShape[3];
        var pw = new float[pointwise.Length];
        for (int i = 0; i < cin; i++)
        {
            for (int o = 0; o < cout; o++)
            {
                pw[(o * cin) + i] = pointwise[(i * cout) + o];
            }
        }

        string pName = Constant($"{prefix}/pointwise_filter", [cout, cin, 1, 1], pw);
        string bName = Constant($"{prefix}/bias", [cout], _weights.Get($"{prefix}/bias").Values);
        return Node("Conv", [depth, pName, bName], [new OnnxAttribute("kernel_shape", Ints: [1, 1])]);
    }

    private string FullyConnected(string x, string prefix)
    {
        var (wShape, w) = _weights.Get($"{prefix}/weights");
        string wName = Constant($"{prefix}/weights", [wShape[0], wShape[1]], w);
        string bName = Constant($"{prefix}/bias", [wShape[1]], _weights.Get($"{prefix}/bias").Values);
        return Node("Add", [Node("MatMul", [x, wName], []), bName], []);
    }

    private string Relu(string x) => Node("Relu", [x], []);

    private string Constant(string name, long[] dims, float[] values)
    {
        long count = dims.Aggregate(1L, (a, b) => a * b);
        if (count != values.Length)
        {
            throw new InvalidDataException($"{name}: {values.Length} values do not fill [{string.Join(',', dims)}].");
        }

        _model.Initializers.Add(OnnxTensor.FromFloats(name, dims, values));
        return name;
    }

    private string Node(string op, string[] inputs, OnnxAttribute[] attributes)
    {
        string output = $"{op.ToLowerInvariant()}_{_counter++}";
        _model.Nodes.Add(new OnnxNode(op, output, inputs, [output], attributes));
        return output;
    }
}
