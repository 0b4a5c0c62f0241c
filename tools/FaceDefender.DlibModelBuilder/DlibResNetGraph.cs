using FaceDefender.ModelConverter;

namespace FaceDefender.DlibModelBuilder;

/// <summary>
/// Writes dlib's ResNet face recogniser (29 conv layers, 128-D descriptor) as an ONNX opset-13
/// graph. Input <c>input</c> [N, 3, 150, 150] NCHW RGB, already normalised as
/// <c>(pixel - mean RGB (122.782, 117.001, 104.298)) / 255</c>; output <c>descriptor</c> [N, 128]
/// (not L2-normalised). Facts of the network, from face-api's TypeScript:
/// every conv layer is conv + bias, then a per-channel affine "scale" (x * w + b), then optionally
/// ReLU; a residual block is conv(ReLU) then conv (no ReLU) plus the input, then ReLU; a down block
/// uses a 3 x 3 stride-2 valid conv first and adds a 2 x 2 stride-2 average pool of its input,
/// zero-padded in channels (at the end) and, when the conv output is smaller, the conv output is
/// zero-padded at the bottom/right; the stem is a 7 x 7 stride-2 valid conv (ReLU) and a 3 x 3
/// stride-2 valid max pool; the head is a global average pool and a 256 x 128 matrix product.
/// </summary>
internal sealed class DlibResNetGraph
{
    public const int InputSize = 150;

    private readonly TfjsWeights _weights;
    private readonly OnnxModel _model = new();
    private int _counter;

    private DlibResNetGraph(TfjsWeights weights) => _weights = weights;

    public static OnnxModel Build(TfjsWeights weights)
    {
        var g = new DlibResNetGraph(weights);
        return g.BuildGraph();
    }

    private OnnxModel BuildGraph()
    {
        _model.GraphName = "dlib_face_recognition_resnet_model_v1";
        _model.Inputs.Add(new OnnxValueInfo("input", OnnxDataType.Float, [null, 3, InputSize, InputSize]));

        var x = new Act("input", 3, InputSize);
        x = ConvLayer(x, "conv32_down", stride: 2, relu: true, same: false);
        x = MaxPool(x, 3, 2);

        x = Residual(x, "conv32_1");
        x = Residual(x, "conv32_2");
        x = Residual(x, "conv32_3");

        x = ResidualDown(x, "conv64_down");
        x = Residual(x, "conv64_1");
        x = Residual(x, "conv64_2");
        x = Residual(x, "conv64_3");

        x = ResidualDown(x, "conv128_down");
        x = Residual(x, "conv128_1");
        x = Residual(x, "conv128_2");

        x = ResidualDown(x, "conv256_down");
        x = Residual(x, "conv256_1");
        x = Residual(x, "conv256_2");
        x = ResidualDown(x, "conv256_down_out");

        string pooled = Node("ReduceMean", [x.Name], [new OnnxAttribute("axes", Ints: [2, 3]), new OnnxAttribute("keepdims", Int: 0)]);
        var (fcShape, fc) = _weights.Get("fc");
        string fcName = Constant("fc", [fcShape[0], fcShape[1]], fc);
        _model.Nodes.Add(new OnnxNode("MatMul", "descriptor_matmul", [pooled, fcName], ["descriptor"], []));
        _model.Outputs.Add(new OnnxValueInfo("descriptor", OnnxDataType.Float, [null, fcShape[1]]));
        return _model;
    }

    /// <summary>An activation: its tensor name, channel count and (square) spatial size.</summary>
    private readonly record struct Act(string Name, int Channels, int Size);

    private Act ConvLayer(Act x, string prefix, int stride, bool relu, bool same)
    {
        var (fShape, filters) = _weights.Get($"{prefix}/conv/filters");
        int kh = fShape[0], kw = fShape[1], cin = fShape[2], cout = fShape[3];
        if (cin != x.Channels || kh != kw)
        {
            throw new InvalidDataException($"{prefix}: filter shape [{string.Join(',', fShape)}] does not fit {x.Channels} input channels.");
        }

        // TF HWIO -> ONNX OIHW.
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

        string wName = Constant($"{prefix}/conv/filters", [cout, cin, kh, kw], oihw);
        string bName = Constant($"{prefix}/conv/bias", [cout], _weights.Get($"{prefix}/conv/bias").Values);
        int pad;
        int outSize;
        if (same)
        {
            if (stride != 1 || kh % 2 == 0)
            {
                throw new InvalidOperationException("Only odd-kernel stride-1 'same' convolutions occur in this network.");
            }

            pad = kh / 2;
            outSize = x.Size;
        }
        else
        {
            pad = 0;
            outSize = ((x.Size - kh) / stride) + 1;
        }

        string conv = Node("Conv", [x.Name, wName, bName],
        [
            new OnnxAttribute("kernel_shape", Ints: [kh, kw]),
            new OnnxAttribute("strides", Ints: [stride, stride]),
            new OnnxAttribute("pads", Ints: [pad, pad, pad, pad]),
        ]);
        string sw = Constant($"{prefix}/scale/weights", [cout, 1, 1], _weights.Get($"{prefix}/scale/weights").Values);
        string sb = Constant($"{prefix}/scale/biases", [cout, 1, 1], _weights.Get($"{prefix}/scale/biases").Values);
        string scaled = Node("Add", [Node("Mul", [conv, sw], []), sb], []);
        string result = relu ? Node("Relu", [scaled], []) : scaled;
        return new Act(result, cout, outSize);
    }

    private Act MaxPool(Act x, int kernel, int stride)
    {
        string y = Node("MaxPool", [x.Name],
        [
            new OnnxAttribute("kernel_shape", Ints: [kernel, kernel]),
            new OnnxAttribute("strides", Ints: [stride, stride]),
        ]);
        return new Act(y, x.Channels, ((x.Size - kernel) / stride) + 1);
    }

    private Act Residual(Act x, string prefix)
    {
        Act a = ConvLayer(x, $"{prefix}/conv1", 1, relu: true, same: true);
        Act b = ConvLayer(a, $"{prefix}/conv2", 1, relu: false, same: true);
        if (b.Channels != x.Channels || b.Size != x.Size)
        {
            throw new InvalidDataException($"{prefix}: residual shapes differ.");
        }

        return new Act(Node("Relu", [Node("Add", [b.Name, x.Name], [])], []), x.Channels, x.Size);
    }

    private Act ResidualDown(Act x, string prefix)
    {
        Act a = ConvLayer(x, $"{prefix}/conv1", 2, relu: true, same: false);
        Act b = ConvLayer(a, $"{prefix}/conv2", 1, relu: false, same: true);

        string pooled = Node("AveragePool", [x.Name],
        [
            new OnnxAttribute("kernel_shape", Ints: [2, 2]),
            new OnnxAttribute("strides", Ints: [2, 2]),
        ]);
        int pooledSize = x.Size / 2;
        string outName = b.Name;
        if (pooledSize != b.Size)
        {
            // The conv output is smaller than the pooled shortcut: zeros appended at the bottom and right.
            int extra = pooledSize - b.Size;
            if (extra != 1)
            {
                throw new InvalidDataException($"{prefix}: unexpected size gap {extra}.");
            }

            outName = Pad(outName, [0, 0, 0, 0, 0, 0, extra, extra]);
        }

        if (x.Channels != b.Channels)
        {
            // Shortcut channels padded with zeros after the existing ones.
            pooled = Pad(pooled, [0, 0, 0, 0, 0, b.Channels - x.Channels, 0, 0]);
        }

        string sum = Node("Add", [pooled, outName], []);
        return new Act(Node("Relu", [sum], []), b.Channels, pooledSize);
    }

    private string Pad(string input, long[] pads)
    {
        string padsName = $"pads_{_counter}";
        _model.Initializers.Add(OnnxTensor.FromInt64s(padsName, [pads.Length], pads));
        return Node("Pad", [input, padsName], [new OnnxAttribute("mode", String: "constant")]);
    }

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
