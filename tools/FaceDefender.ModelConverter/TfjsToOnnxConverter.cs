namespace FaceDefender.ModelConverter;

/// <summary>
/// Translates a TensorFlow.js graph model op by op into an ONNX opset-13 graph.
/// </summary>
/// <remarks>
/// TF activations are NHWC while ONNX convolutions are NCHW. The graph input keeps its NHWC layout
/// (a Transpose follows it); 4-D activations then flow as NCHW, and a Transpose back to NHWC is
/// inserted wherever a tensor leaves the 4-D world (Reshape, graph outputs), so every output has
/// exactly the shape and name TensorFlow.js gives it.
/// </remarks>
internal sealed class TfjsToOnnxConverter
{
    private static readonly long[] ToNchw = [0, 3, 1, 2];
    private static readonly long[] ToNhwc = [0, 2, 3, 1];

    private readonly TfjsGraphModel _tf;
    private readonly OnnxModel _onnx = new();
    private readonly Dictionary<string, TfjsNode> _byName;

    // TF tensor name -> (ONNX tensor name, whether it is a 4-D tensor held as NCHW).
    private readonly Dictionary<string, (string Name, bool Nchw)> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _initializerNames = new(StringComparer.Ordinal);
    private readonly bool _nchwcFriendly;

    // Channel count of 4-D activations where known (convolution outputs and ops that keep the channels).
    private readonly Dictionary<string, int> _channels = new(StringComparer.Ordinal);

    // Shared per-channel constants of the NCHWc-friendly PReLU form, by channel count: (zeros, ones).
    private readonly Dictionary<int, (string Zeros, string Ones)> _affineConstants = [];

    private TfjsToOnnxConverter(TfjsGraphModel tf, bool nchwcFriendly)
    {
        _tf = tf;
        _nchwcFriendly = nchwcFriendly;
        _byName = tf.Nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
    }

    /// <summary>Converts a graph model.</summary>
    /// <param name="tf">The TensorFlow.js graph model.</param>
    /// <param name="graphName">The ONNX graph's name.</param>
    /// <param name="nchwcFriendly">
    /// Emit two patterns in forms that ONNX Runtime's CPU provider keeps in its blocked NCHWc layout, instead of
    /// ops that force a layout conversion before and after them: each PReLU on an NCHW activation as
    /// <c>(1 - a) * Relu(x) + a * x</c> (Relu, two per-channel BatchNormalization nodes with scale only, Add: the
    /// BatchNormalizations become 1 x 1 depthwise convolutions and the Add is fused into one of them; ONNX Runtime's
    /// PRelu also runs a slow broadcast), and zero-padding of the channels at the end (BlazeFace's skip connections)
    /// as a 1 x 1 convolution with identity weights. Same values up to float rounding (the padding is exact). Off by
    /// default (the output is then unchanged).
    /// </param>
    public static OnnxModel Convert(TfjsGraphModel tf, string graphName, bool nchwcFriendly = false)
    {
        var converter = new TfjsToOnnxConverter(tf, nchwcFriendly);
        converter._onnx.GraphName = graphName;
        converter.Run();
        return converter._onnx;
    }

    private static string Clean(string input) => input.Split(':')[0];

    private void Run()
    {
        var consumed = new HashSet<string>(_tf.Nodes.SelectMany(n => n.Inputs).Where(i => !i.StartsWith('^')).Select(Clean), StringComparer.Ordinal);
        foreach (TfjsNode node in TopologicalOrder())
        {
            ConvertNode(node);
            if (!_channels.ContainsKey(node.Name) && node.Op is "Relu" or "Prelu" or "AddV2" or "Add" or "MaxPool"
                && _channels.TryGetValue(Clean(node.Inputs[0]), out int channels))
            {
                _channels[node.Name] = channels;
            }
        }

        bool freeBatch = _onnx.Inputs.Count > 0 && _onnx.Inputs.All(i => i.Shape is { Length: > 0 } && i.Shape[0] is null);

        // Graph outputs: every node nothing consumes, plus those the model's signature names even when other
        // nodes consume them (FaceRes's descriptor global_pooling/Mean feeds its gender and age heads).
        foreach (TfjsNode node in _tf.Nodes.Where(n => n.Op != "Const" && (!consumed.Contains(n.Name) || _tf.SignatureOutputShapes.ContainsKey(n.Name)))
                     .OrderBy(n => n.Name, StringComparer.Ordinal))
        {
            (string name, bool nchw) = _values[node.Name];
            if (nchw || name != node.Name)
            {
                throw new InvalidOperationException($"Output {node.Name} was not emitted under its own name in NHWC layout.");
            }

            _tf.SignatureOutputShapes.TryGetValue(node.Name, out long?[]? shape);
            if (freeBatch && shape is { Length: > 0 } && shape[0] == 1)
            {
                // A signature traced with batch 1 on a graph whose input batch is free (FaceRes): the output's
                // batch is free too, or ONNX Runtime warns on every batched run.
                shape = [null, .. shape[1..]];
            }

            _onnx.Outputs.Add(new OnnxValueInfo(node.Name, OnnxDataType.Float, shape));
        }
    }

    private List<TfjsNode> TopologicalOrder()
    {
        var order = new List<TfjsNode>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (TfjsNode root in _tf.Nodes)
        {
            Visit(root);
        }

        return order;

        void Visit(TfjsNode node)
        {
            if (state.TryGetValue(node.Name, out int s))
            {
                if (s == 1)
                {
                    throw new InvalidOperationException($"Cycle at {node.Name}.");
                }

                return;
            }

            state[node.Name] = 1;
            foreach (string input in node.Inputs.Where(i => !i.StartsWith('^')))
            {
                Visit(_byName[Clean(input)]);
            }

            state[node.Name] = 2;
            order.Add(node);
        }
    }

    private TfjsWeight Const(string input)
    {
        string name = Clean(input);
        if (_byName[name].Op != "Const" || !_tf.Weights.TryGetValue(name, out TfjsWeight? weight))
        {
            throw new NotSupportedException($"Expected a constant for {name}.");
        }

        return weight;
    }

    private bool IsConst(string input) => _byName[Clean(input)].Op == "Const";

    private string AddInitializer(OnnxTensor tensor)
    {
        if (!_initializerNames.Add(tensor.Name))
        {
            throw new InvalidOperationException($"Duplicate initializer {tensor.Name}.");
        }

        _onnx.Initializers.Add(tensor);
        return tensor.Name;
    }

    private void Emit(string op, string name, string[] inputs, string[] outputs, params OnnxAttribute[] attributes)
        => _onnx.Nodes.Add(new OnnxNode(op, name, inputs, outputs, attributes));

    /// <summary>The ONNX name of a TF activation, transposed to NCHW (true) or NHWC/native (false) as required.</summary>
    private string Activation(string input, bool wantNchw)
    {
        (string name, bool nchw) = _values[Clean(input)];
        if (nchw == wantNchw)
        {
            return name;
        }

        string converted = $"{Clean(input)}__{(wantNchw ? "nchw" : "nhwc")}";
        if (!_onnx.Nodes.Any(n => n.Outputs[0] == converted))
        {
            Emit("Transpose", converted, [name], [converted], new OnnxAttribute("perm", Ints: wantNchw ? ToNchw : ToNhwc));
        }

        return converted;
    }

    private static OnnxAttribute[] PaddingAttributes(TfjsNode node)
    {
        string padding = node.AttrString("padding");
        return padding switch
        {
            // TF "SAME" puts the odd extra pixel at the end: ONNX SAME_UPPER.
            "SAME" => [new OnnxAttribute("auto_pad", String: "SAME_UPPER")],
            "VALID" => [new OnnxAttribute("auto_pad", String: "VALID")],
            "EXPLICIT" => [ExplicitPads(node)],
            _ => throw new NotSupportedException($"Padding {padding} in {node.Name}."),
        };
    }

    private static OnnxAttribute ExplicitPads(TfjsNode node)
    {
        long[] p = node.AttrInts("explicit_paddings"); // NHWC pairs (begin, end)
        return new OnnxAttribute("pads", Ints: [p[2], p[4], p[3], p[5]]);
    }

    private static long[] Spatial(long[] nhwc) => [nhwc[1], nhwc[2]];

    private void CheckNhwc(TfjsNode node)
    {
        if (node.HasAttr("data_format") && node.AttrString("data_format") != "NHWC")
        {
            throw new NotSupportedException($"{node.Name}: only NHWC is supported.");
        }
    }

    private void ConvertNode(TfjsNode node)
    {
        switch (node.Op)
        {
            case "Const":
                return; // materialised per use, in the layout that use needs
            case "Placeholder":
            {
                long?[] shape = node.Attr.GetProperty("shape").GetProperty("shape").GetProperty("dim").EnumerateArray()
                    .Select(TfjsGraphModel.ParseDim).ToArray();
                _onnx.Inputs.Add(new OnnxValueInfo(node.Name, OnnxDataType.Float, shape));
                _values[node.Name] = (node.Name, false);
                if (shape.Length == 4)
                {
                    string nchw = Activation(node.Name, wantNchw: true);
                    _values[node.Name] = (nchw, true);
                }

                return;
            }

            case "_FusedConv2D":
            case "Conv2D":
                ConvertConv(node, depthwise: false);
                return;
            case "DepthwiseConv2dNative":
            case "FusedDepthwiseConv2dNative":
                ConvertConv(node, depthwise: true);
                return;
            case "AddV2":
            case "Add":
                ConvertBinary(node, "Add");
                return;
            case "Mul":
                ConvertBinary(node, "Mul");
                return;
            case "Minimum":
                ConvertBinary(node, "Min");
                return;
            case "Maximum":
                ConvertBinary(node, "Max");
                return;
            case "Mean":
                ConvertMean(node);
                return;
            case "MatMul":
            case "_FusedMatMul":
                ConvertMatMul(node);
                return;
            case "Softmax":
            {
                // TF Softmax normalises over the last axis of the TF (NHWC or 2-D) tensor.
                string input = Activation(node.Inputs[0], wantNchw: false);
                Emit("Softmax", node.Name, [input], [node.Name], new OnnxAttribute("axis", Int: -1));
                _values[node.Name] = (node.Name, false);
                return;
            }

            case "Relu":
            case "Sigmoid":
            {
                (string input, bool nchw) = _values[Clean(node.Inputs[0])];
                Emit(node.Op, node.Name, [input], [node.Name]);
                _values[node.Name] = (node.Name, nchw);
                return;
            }

            case "Prelu":
            {
                (string input, bool nchw) = _values[Clean(node.Inputs[0])];
                EmitPrelu(input, node.Inputs[1], nchw, node.Name);
                _values[node.Name] = (node.Name, nchw);
                return;
            }

            case "MaxPool":
            {
                CheckNhwc(node);
                string input = Activation(node.Inputs[0], wantNchw: true);
                Emit("MaxPool", node.Name, [input], [node.Name],
                    [new OnnxAttribute("kernel_shape", Ints: Spatial(node.AttrInts("ksize"))),
                     new OnnxAttribute("strides", Ints: Spatial(node.AttrInts("strides"))),
                     .. PaddingAttributes(node)]);
                _values[node.Name] = (node.Name, true);
                return;
            }

            case "Pad":
            {
                TfjsWeight paddings = Const(node.Inputs[1]);
                (string input, bool nchw) = _values[Clean(node.Inputs[0])];
                int rank = paddings.Shape[0];
                int[] p = paddings.Ints!;
                int[] axisOrder = nchw ? [0, 3, 1, 2] : Enumerable.Range(0, rank).ToArray();
                var pads = new long[2 * rank];
                for (int k = 0; k < rank; k++)
                {
                    pads[k] = p[2 * axisOrder[k]];
                    pads[rank + k] = p[(2 * axisOrder[k]) + 1];
                }

                if (_nchwcFriendly && nchw && rank == 4 && pads.Where((_, k) => k != 5).All(v => v == 0)
                    && _channels.TryGetValue(Clean(node.Inputs[0]), out int inChannels))
                {
                    // Zeros appended to the channels only: an exact 1 x 1 convolution with identity weights.
                    int outChannels = inChannels + (int)pads[5];
                    var identity = new float[outChannels * inChannels];
                    for (int c = 0; c < inChannels; c++)
                    {
                        identity[(c * inChannels) + c] = 1f;
                    }

                    string weights = AddInitializer(OnnxTensor.FromFloats(node.Name + "/W", [outChannels, inChannels, 1, 1], identity));
                    Emit("Conv", node.Name, [input, weights], [node.Name], new OnnxAttribute("kernel_shape", Ints: [1, 1]));
                    _values[node.Name] = (node.Name, true);
                    _channels[node.Name] = outChannels;
                    return;
                }

                string padsName = AddInitializer(OnnxTensor.FromInt64s(node.Name + "/pads", [2 * rank], pads));
                Emit("Pad", node.Name, [input, padsName], [node.Name], new OnnxAttribute("mode", String: "constant"));
                _values[node.Name] = (node.Name, nchw);
                return;
            }

            case "Reshape":
            {
                TfjsWeight shape = Const(node.Inputs[1]);
                string input = Activation(node.Inputs[0], wantNchw: false);
                string shapeName = AddInitializer(OnnxTensor.FromInt64s(node.Name + "/shape", [shape.Count], shape.Ints!.Select(v => (long)v).ToArray()));
                Emit("Reshape", node.Name, [input, shapeName], [node.Name]);
                _values[node.Name] = (node.Name, false);
                return;
            }

            case "ConcatV2":
            {
                string[] parts = node.Inputs.Where(i => !i.StartsWith('^')).ToArray();
                int axis = Const(parts[^1]).Ints![0];
                string[] inputs = parts[..^1];
                bool nchw = inputs.All(i => _values[Clean(i)].Nchw);
                if (nchw)
                {
                    axis = axis < 0 ? axis + 4 : axis;
                    axis = axis switch { 0 => 0, 1 => 2, 2 => 3, 3 => 1, _ => throw new NotSupportedException($"{node.Name}: axis {axis}.") };
                }

                Emit("Concat", node.Name, inputs.Select(i => Activation(i, nchw)).ToArray(), [node.Name], new OnnxAttribute("axis", Int: axis));
                _values[node.Name] = (node.Name, nchw);
                return;
            }

            case "Identity":
            {
                string input = Activation(node.Inputs[0], wantNchw: false);
                Emit("Identity", node.Name, [input], [node.Name]);
                _values[node.Name] = (node.Name, false);
                return;
            }

            default:
                throw new NotSupportedException($"TF op {node.Op} ({node.Name}) is not supported by this converter.");
        }
    }

    /// <summary>
    /// An element-wise binary op with numpy broadcasting. Two activations are brought to a common layout; a
    /// constant operand becomes an initializer shaped for the activation's layout: a scalar stays a scalar, a
    /// per-channel vector [C] becomes [C, 1, 1] against an NCHW activation (so it broadcasts over H and W).
    /// </summary>
    private void ConvertBinary(TfjsNode node, string onnxOp)
    {
        string[] operands = node.Inputs.Where(i => !i.StartsWith('^')).ToArray();
        if (operands.Length != 2)
        {
            throw new NotSupportedException($"{node.Name}: {node.Op} with {operands.Length} operands.");
        }

        bool const0 = IsConst(operands[0]), const1 = IsConst(operands[1]);
        if (const0 && const1)
        {
            throw new NotSupportedException($"{node.Name}: {node.Op} of two constants (fold it before converting).");
        }

        if (!const0 && !const1)
        {
            bool both = _values[Clean(operands[0])].Nchw && _values[Clean(operands[1])].Nchw;
            Emit(onnxOp, node.Name, [Activation(operands[0], both), Activation(operands[1], both)], [node.Name]);
            _values[node.Name] = (node.Name, both);
            return;
        }

        int constIndex = const0 ? 0 : 1;
        (string activation, bool nchw) = _values[Clean(operands[1 - constIndex])];
        TfjsWeight c = Const(operands[constIndex]);
        if (c.Floats is null)
        {
            throw new NotSupportedException($"{node.Name}: {node.Op} with an integer constant is not supported.");
        }

        long[] dims;
        if (c.Shape.Length == 0 || c.Count == 1)
        {
            dims = c.Shape.Length == 0 ? [] : c.Shape.Select(d => (long)d).ToArray();
        }
        else if (nchw && c.Shape.Length == 1)
        {
            dims = [c.Shape[0], 1, 1];
        }
        else if (!nchw)
        {
            dims = c.Shape.Select(d => (long)d).ToArray();
        }
        else
        {
            // A rank >= 2 constant against an NCHW activation: broadcast in the TF (NHWC) layout.
            activation = Activation(operands[1 - constIndex], wantNchw: false);
            nchw = false;
            dims = c.Shape.Select(d => (long)d).ToArray();
        }

        string constName = AddInitializer(OnnxTensor.FromFloats($"{node.Name}/operand{constIndex}", dims, c.Floats));
        string[] inputs = constIndex == 0 ? [constName, activation] : [activation, constName];
        Emit(onnxOp, node.Name, inputs, [node.Name]);
        _values[node.Name] = (node.Name, nchw);
    }

    /// <summary>TF Mean over constant axes: ONNX ReduceMean (opset 13: axes as an attribute).</summary>
    private void ConvertMean(TfjsNode node)
    {
        int[] axes = Const(node.Inputs[1]).Ints ?? throw new NotSupportedException($"{node.Name}: Mean needs integer axes.");
        bool keepDims = node.HasAttr("keep_dims") && node.AttrBool("keep_dims");
        (string input, bool nchw) = _values[Clean(node.Inputs[0])];
        int[] nhwcAxes = axes.Select(a => a < 0 ? a + 4 : a).Order().ToArray();
        // Over H and W of an NCHW tensor without kept dims, [N, C] is the same in both layouts; anything
        // else on an NCHW tensor is reduced in the TF layout so the remaining axes keep TF's order.
        bool spatial = nhwcAxes.SequenceEqual([1, 2]);
        if (nchw && !(spatial && !keepDims))
        {
            input = Activation(node.Inputs[0], wantNchw: false);
            nchw = false;
        }

        long[] onnxAxes = nchw
            ? nhwcAxes.Select(a => (long)(a switch { 0 => 0, 1 => 2, 2 => 3, _ => 1 })).Order().ToArray()
            : axes.Select(a => (long)a).ToArray();
        Emit("ReduceMean", node.Name, [input], [node.Name],
            new OnnxAttribute("axes", Ints: onnxAxes), new OnnxAttribute("keepdims", Int: keepDims ? 1 : 0));
        _values[node.Name] = (node.Name, false);
    }

    /// <summary>
    /// MatMul of an activation by a constant matrix, optionally with TF's fused BiasAdd and Relu
    /// (_FusedMatMul): ONNX Gemm (with the bias as C), then Relu.
    /// </summary>
    private void ConvertMatMul(TfjsNode node)
    {
        string a = Activation(node.Inputs[0], wantNchw: false);
        TfjsWeight b = Const(node.Inputs[1]);
        if (b.Shape.Length != 2 || b.Floats is null)
        {
            throw new NotSupportedException($"{node.Name}: MatMul needs a constant float matrix, got shape [{string.Join(",", b.Shape)}].");
        }

        bool transposeA = node.HasAttr("transpose_a") && node.AttrBool("transpose_a");
        bool transposeB = node.HasAttr("transpose_b") && node.AttrBool("transpose_b");
        string[] fused = node.HasAttr("fused_ops") ? node.AttrStrings("fused_ops") : [];
        if (fused.Length > 2 || (fused.Length > 0 && fused[0] != "BiasAdd") || (fused.Length == 2 && fused[1] != "Relu"))
        {
            throw new NotSupportedException($"{node.Name}: fused ops [{string.Join(",", fused)}] are not supported (BiasAdd, optionally then Relu).");
        }

        var inputs = new List<string> { a, AddInitializer(OnnxTensor.FromFloats(node.Name + "/B", [b.Shape[0], b.Shape[1]], b.Floats)) };
        if (fused.Length > 0)
        {
            TfjsWeight bias = Const(node.Inputs[2]);
            inputs.Add(AddInitializer(OnnxTensor.FromFloats(node.Name + "/C", [bias.Count], bias.Floats!)));
        }

        string gemmOut = fused.Length == 2 ? node.Name + "/gemm" : node.Name;
        Emit("Gemm", gemmOut, inputs.ToArray(), [gemmOut],
            new OnnxAttribute("transA", Int: transposeA ? 1 : 0), new OnnxAttribute("transB", Int: transposeB ? 1 : 0));
        if (fused.Length == 2)
        {
            Emit("Relu", node.Name, [gemmOut], [node.Name]);
        }

        _values[node.Name] = (node.Name, false);
    }

    /// <summary>PReLU of <paramref name="input"/> into the tensor <paramref name="name"/> (see the nchwcFriendly option).</summary>
    private void EmitPrelu(string input, string alphaInput, bool nchw, string name)
    {
        if (!_nchwcFriendly || !nchw)
        {
            Emit("PRelu", name, [input, PreluSlope(alphaInput, nchw, name + "/alpha")], [name]);
            return;
        }

        TfjsWeight alpha = Const(alphaInput);
        int channels = alpha.Shape[^1];
        if (alpha.Count != channels)
        {
            throw new NotSupportedException($"{name}/alpha: PReLU alpha must be per channel, got shape [{string.Join(",", alpha.Shape)}].");
        }

        if (!_affineConstants.TryGetValue(channels, out (string Zeros, string Ones) constants))
        {
            constants = (AddInitializer(OnnxTensor.FromFloats($"prelu_affine/zeros_{channels}", [channels], new float[channels])),
                AddInitializer(OnnxTensor.FromFloats($"prelu_affine/ones_{channels}", [channels], Enumerable.Repeat(1f, channels).ToArray())));
            _affineConstants[channels] = constants;
        }

        // BatchNormalization with mean 0, variance 1 and epsilon 0 is exactly scale * x (+ bias 0).
        float[] a = alpha.Floats!;
        string slope = AddInitializer(OnnxTensor.FromFloats(name + "/alpha", [channels], a));
        string rest = AddInitializer(OnnxTensor.FromFloats(name + "/one_minus_alpha", [channels], a.Select(v => 1 - v).ToArray()));
        var epsilon = new OnnxAttribute("epsilon", Float: 0f);
        Emit("Relu", name + "/relu", [input], [name + "/relu"]);
        Emit("BatchNormalization", name + "/positive", [name + "/relu", rest, constants.Zeros, constants.Zeros, constants.Ones], [name + "/positive"], epsilon);
        Emit("BatchNormalization", name + "/linear", [input, slope, constants.Zeros, constants.Zeros, constants.Ones], [name + "/linear"], epsilon);
        Emit("Add", name, [name + "/positive", name + "/linear"], [name]);
    }

    private string PreluSlope(string alphaInput, bool nchw, string name)
    {
        TfjsWeight alpha = Const(alphaInput);
        int channels = alpha.Shape[^1];
        if (alpha.Count != channels)
        {
            throw new NotSupportedException($"{name}: PReLU alpha must be per channel, got shape [{string.Join(",", alpha.Shape)}].");
        }

        long[] dims = nchw ? [channels, 1, 1] : [channels];
        return AddInitializer(OnnxTensor.FromFloats(name, dims, alpha.Floats!));
    }

    private void ConvertConv(TfjsNode node, bool depthwise)
    {
        CheckNhwc(node);
        string x = Activation(node.Inputs[0], wantNchw: true);
        TfjsWeight filter = Const(node.Inputs[1]);
        int kh = filter.Shape[0], kw = filter.Shape[1], ci = filter.Shape[2], co = filter.Shape[3];
        float[] f = filter.Floats!;
        float[] w;
        long[] wDims;
        long group = 1;
        if (depthwise)
        {
            // TF [kh, kw, C, M] -> ONNX [C*M, 1, kh, kw], output channel c*M + m, group = C.
            w = new float[ci * co * kh * kw];
            for (int i = 0; i < kh; i++)
            {
                for (int j = 0; j < kw; j++)
                {
                    for (int c = 0; c < ci; c++)
                    {
                        for (int m = 0; m < co; m++)
                        {
                            w[((((c * co) + m) * kh) + i) * kw + j] = f[(((i * kw) + j) * ci + c) * co + m];
                        }
                    }
                }
            }

            wDims = [ci * co, 1, kh, kw];
            group = ci;
        }
        else
        {
            // TF HWIO -> ONNX OIHW.
            w = new float[co * ci * kh * kw];
            for (int i = 0; i < kh; i++)
            {
                for (int j = 0; j < kw; j++)
                {
                    for (int c = 0; c < ci; c++)
                    {
                        for (int o = 0; o < co; o++)
                        {
                            w[((((o * ci) + c) * kh) + i) * kw + j] = f[(((i * kw) + j) * ci + c) * co + o];
                        }
                    }
                }
            }

            wDims = [co, ci, kh, kw];
        }

        var inputs = new List<string> { x, AddInitializer(OnnxTensor.FromFloats(node.Name + "/W", wDims, w)) };
        string[] fused = node.HasAttr("fused_ops") ? node.AttrStrings("fused_ops") : [];
        int extra = 2;
        if (fused.Length > 0)
        {
            if (fused[0] != "BiasAdd")
            {
                throw new NotSupportedException($"{node.Name}: fused ops [{string.Join(",", fused)}] are not supported.");
            }

            TfjsWeight bias = Const(node.Inputs[extra++]);
            inputs.Add(AddInitializer(OnnxTensor.FromFloats(node.Name + "/B", [bias.Count], bias.Floats!)));
        }

        var attributes = new List<OnnxAttribute>
        {
            new("dilations", Ints: Spatial(node.AttrInts("dilations"))),
            new("group", Int: group),
            new("kernel_shape", Ints: [kh, kw]),
            new("strides", Ints: Spatial(node.AttrInts("strides"))),
        };
        attributes.AddRange(PaddingAttributes(node));

        string convOut = fused.Length > 1 ? node.Name + "/conv" : node.Name;
        Emit("Conv", convOut, inputs.ToArray(), [convOut], attributes.ToArray());
        if (fused.Length > 1)
        {
            switch (fused[1])
            {
                case "Relu":
                    Emit("Relu", node.Name, [convOut], [node.Name]);
                    break;
                case "Relu6":
                    Emit("Clip", node.Name, [convOut, AddInitializer(OnnxTensor.FromFloats(node.Name + "/min", [], [0f])), AddInitializer(OnnxTensor.FromFloats(node.Name + "/max", [], [6f]))], [node.Name]);
                    break;
                case "Prelu":
                    EmitPrelu(convOut, node.Inputs[extra], nchw: true, node.Name);
                    break;
                default:
                    throw new NotSupportedException($"{node.Name}: fused activation {fused[1]} is not supported.");
            }
        }

        if (fused.Length > 2)
        {
            throw new NotSupportedException($"{node.Name}: more than two fused ops.");
        }

        _values[node.Name] = (node.Name, true);
        _channels[node.Name] = depthwise ? ci * co : co;
    }
}
