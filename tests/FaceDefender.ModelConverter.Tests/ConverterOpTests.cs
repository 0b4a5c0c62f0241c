using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FaceDefender.ModelConverter.Tests;

/// <summary>
/// The ops FaceRes needs (constant-operand Add/Mul, Minimum/Maximum, Mean, _FusedMatMul, Softmax, Sigmoid),
/// each in a small TensorFlow.js graph built here, converted, run by ONNX Runtime and compared with the op's
/// definition computed in double precision on the NHWC tensor.
/// </summary>
public sealed class ConverterOpTests
{
    private const int N = 2, H = 3, W = 4, C = 5;

    // ---- a tiny TFJS graph builder ----
    private sealed class Graph
    {
        public List<TfjsNode> Nodes { get; } = [];
        public Dictionary<string, TfjsWeight> Weights { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, long?[]> Signature { get; } = new(StringComparer.Ordinal);

        public string Input(string name, params long?[] dims)
        {
            string d = string.Join(",", dims.Select(v => $"{{\"size\":\"{v ?? -1}\"}}"));
            Nodes.Add(new TfjsNode(name, "Placeholder", [], Attr($"{{\"shape\":{{\"shape\":{{\"dim\":[{d}]}}}}}}")));
            return name;
        }

        public string Const(string name, int[] shape, float[] values)
        {
            Nodes.Add(new TfjsNode(name, "Const", [], default));
            Weights[name] = new TfjsWeight(name, shape, values, null);
            return name;
        }

        public string IntConst(string name, int[] shape, int[] values)
        {
            Nodes.Add(new TfjsNode(name, "Const", [], default));
            Weights[name] = new TfjsWeight(name, shape, null, values);
            return name;
        }

        public string Op(string name, string op, string[] inputs, string attrJson = "{}")
        {
            Nodes.Add(new TfjsNode(name, op, inputs, Attr(attrJson)));
            return name;
        }

        public TfjsGraphModel Build() => new() { Nodes = Nodes, Weights = Weights, SignatureOutputShapes = Signature };
    }

    private static JsonElement Attr(string json)
    {
        using JsonDocument doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    private static string B64(string s) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(s));

    private static float[] Lcg(int count, uint seed, float low, float high)
    {
        var v = new float[count];
        uint s = seed;
        for (int i = 0; i < count; i++)
        {
            s = unchecked((s * 1664525u) + 1013904223u);
            v[i] = low + (s / 4294967296f * (high - low));
        }

        return v;
    }

    private static Dictionary<string, (int[] Shape, float[] Values)> Run(OnnxModel model, string input, int[] shape, float[] data)
    {
        byte[] bytes = model.Serialize();
        using var session = new InferenceSession(bytes);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(input, new DenseTensor<float>(data, shape))]);
        return results.ToDictionary(r => r.Name, r =>
        {
            var t = r.AsTensor<float>();
            return (t.Dimensions.ToArray(), t.ToArray());
        });
    }

    private static void ShouldMatch(float[] actual, double[] expected, double tolerance = 1e-5)
    {
        actual.Should().HaveCount(expected.Length);
        double max = actual.Zip(expected, (a, e) => Math.Abs(a - e)).Max();
        max.Should().BeLessThanOrEqualTo(tolerance);
    }

    [Fact]
    public void Constant_operand_Add_Mul_and_Relu6_as_Minimum_Maximum_broadcast_per_channel_on_nhwc_data()
    {
        var g = new Graph();
        g.Input("x", null, H, W, C);
        float[] scale = Lcg(C, 1, -2, 2), shift = Lcg(C, 2, -1, 1);
        g.Const("scale", [C], scale);
        g.Const("shift", [C], shift);
        g.Const("six", [], [6f]);
        g.Const("zero", [], [0f]);
        g.Const("half", [], [0.5f]);
        g.Op("mul", "Mul", ["x", "scale"]);          // activation * vector
        g.Op("add", "Add", ["shift", "mul"]);        // vector + activation (constant first)
        g.Op("addv2", "AddV2", ["add", "half"]);      // activation + scalar
        g.Op("relu", "Relu", ["addv2"]);
        g.Op("min", "Minimum", ["relu", "six"]);
        g.Op("max", "Maximum", ["min", "zero"]);
        g.Op("out", "Identity", ["max"]);

        OnnxModel model = TfjsToOnnxConverter.Convert(g.Build(), "binary");
        float[] x = Lcg(N * H * W * C, 3, -10, 10);
        var outputs = Run(model, "x", [N, H, W, C], x);

        model.Nodes.Select(n => n.OpType).Should().Contain(["Mul", "Add", "Min", "Max"]);
        outputs["out"].Shape.Should().Equal(N, H, W, C);
        double[] expected = x.Select((v, i) =>
        {
            int c = i % C;
            double y = (shift[c] + (v * (double)scale[c])) + 0.5;
            return Math.Max(Math.Min(Math.Max(y, 0), 6), 0);
        }).ToArray();
        ShouldMatch(outputs["out"].Values, expected);
    }

    [Fact]
    public void Two_activation_Add_still_works_and_a_Mul_of_two_constants_is_refused()
    {
        var g = new Graph();
        g.Input("x", null, H, W, C);
        g.Op("sum", "AddV2", ["x", "x"]);
        g.Op("out", "Identity", ["sum"]);
        float[] x = Lcg(N * H * W * C, 4, -1, 1);
        var outputs = Run(TfjsToOnnxConverter.Convert(g.Build(), "sum"), "x", [N, H, W, C], x);
        ShouldMatch(outputs["out"].Values, x.Select(v => 2.0 * v).ToArray());

        var bad = new Graph();
        bad.Input("x", null, H, W, C);
        bad.Const("a", [], [1f]);
        bad.Const("b", [], [2f]);
        bad.Op("ab", "Mul", ["a", "b"]);
        bad.Op("out", "AddV2", ["x", "ab"]);
        Action convert = () => TfjsToOnnxConverter.Convert(bad.Build(), "bad");
        convert.Should().Throw<NotSupportedException>().WithMessage("*two constants*");
    }

    [Fact]
    public void Spatial_Mean_feeds_a_fused_MatMul_with_Relu_then_Softmax_and_Sigmoid_heads_and_the_signature_exposes_the_descriptor()
    {
        const int hidden = 6, classes = 4;
        var g = new Graph();
        g.Input("x", null, H, W, C);
        g.IntConst("axes", [2], [1, 2]);
        g.Op("pool", "Mean", ["x", "axes"], "{\"keep_dims\":{\"b\":false},\"Tidx\":{\"type\":\"DT_INT32\"}}");
        float[] k1 = Lcg(C * hidden, 5, -1, 1), b1 = Lcg(hidden, 6, -0.5f, 0.5f);
        float[] k2 = Lcg(hidden * classes, 7, -1, 1), b2 = Lcg(classes, 8, -0.5f, 0.5f);
        float[] k3 = Lcg(hidden, 9, -1, 1), b3 = [0.25f];
        g.Const("k1", [C, hidden], k1);
        g.Const("b1", [hidden], b1);
        g.Const("k2", [hidden, classes], k2);
        g.Const("b2", [classes], b2);
        g.Const("k3", [hidden, 1], k3);
        g.Const("b3", [1], b3);
        string biasRelu = $"{{\"fused_ops\":{{\"list\":{{\"s\":[\"{B64("BiasAdd")}\",\"{B64("Relu")}\"]}}}},\"transpose_a\":{{\"b\":false}},\"transpose_b\":{{\"b\":false}}}}";
        string bias = $"{{\"fused_ops\":{{\"list\":{{\"s\":[\"{B64("BiasAdd")}\"]}}}}}}";
        g.Op("feats", "_FusedMatMul", ["pool", "k1", "b1"], biasRelu);
        g.Op("age", "_FusedMatMul", ["feats", "k2", "b2"], bias);
        g.Op("age_softmax", "Softmax", ["age"]);
        g.Op("gender", "_FusedMatMul", ["feats", "k3", "b3"], bias);
        g.Op("gender_sigmoid", "Sigmoid", ["gender"]);
        g.Signature["pool"] = [1, C];

        OnnxModel model = TfjsToOnnxConverter.Convert(g.Build(), "heads");
        model.Outputs.Select(o => o.Name).Should().BeEquivalentTo(["age_softmax", "gender_sigmoid", "pool"]);
        // The signature was traced with batch 1, the input batch is free: so is the output's.
        model.Outputs.Single(o => o.Name == "pool").Shape.Should().Equal(null, C);
        float[] x = Lcg(N * H * W * C, 10, 0, 255);
        var outputs = Run(model, "x", [N, H, W, C], x);

        var pool = new double[N * C];
        for (int i = 0; i < x.Length; i++)
        {
            int n = i / (H * W * C), c = i % C;
            pool[(n * C) + c] += x[i] / (double)(H * W);
        }

        outputs["pool"].Shape.Should().Equal(N, C);
        ShouldMatch(outputs["pool"].Values, pool, 1e-3);

        double[] Dense(double[] a, int rows, int inner, float[] k, float[] b, int cols, bool relu)
        {
            var o = new double[rows * cols];
            for (int r = 0; r < rows; r++)
            {
                for (int j = 0; j < cols; j++)
                {
                    double s = b[j];
                    for (int i = 0; i < inner; i++)
                    {
                        s += a[(r * inner) + i] * k[(i * cols) + j];
                    }

                    o[(r * cols) + j] = relu ? Math.Max(0, s) : s;
                }
            }

            return o;
        }

        double[] feats = Dense(pool, N, C, k1, b1, hidden, relu: true);
        double[] age = Dense(feats, N, hidden, k2, b2, classes, relu: false);
        var softmax = new double[age.Length];
        for (int n = 0; n < N; n++)
        {
            double[] row = age.Skip(n * classes).Take(classes).ToArray();
            double max = row.Max(), sum = row.Sum(v => Math.Exp(v - max));
            for (int j = 0; j < classes; j++)
            {
                softmax[(n * classes) + j] = Math.Exp(row[j] - max) / sum;
            }
        }

        double[] gender = Dense(feats, N, hidden, k3, b3, 1, relu: false).Select(v => 1 / (1 + Math.Exp(-v))).ToArray();
        outputs["age_softmax"].Shape.Should().Equal(N, classes);
        ShouldMatch(outputs["age_softmax"].Values, softmax, 1e-5);
        ShouldMatch(outputs["gender_sigmoid"].Values, gender, 1e-5);
    }

    [Fact]
    public void Mean_with_kept_dims_or_over_channels_reduces_in_the_tf_layout()
    {
        var g = new Graph();
        g.Input("x", null, H, W, C);
        g.IntConst("hw", [2], [1, 2]);
        g.IntConst("ch", [1], [-1]);
        g.Op("keep", "Mean", ["x", "hw"], "{\"keep_dims\":{\"b\":true}}");
        g.Op("keep_out", "Identity", ["keep"]);
        g.Op("chan", "Mean", ["x", "ch"], "{\"keep_dims\":{\"b\":false}}");
        g.Op("chan_out", "Identity", ["chan"]);
        float[] x = Lcg(N * H * W * C, 11, -3, 3);
        var outputs = Run(TfjsToOnnxConverter.Convert(g.Build(), "means"), "x", [N, H, W, C], x);

        var keep = new double[N * C];
        var chan = new double[N * H * W];
        for (int i = 0; i < x.Length; i++)
        {
            int n = i / (H * W * C), c = i % C;
            keep[(n * C) + c] += x[i] / (double)(H * W);
            chan[i / C] += x[i] / (double)C;
        }

        outputs["keep_out"].Shape.Should().Equal(N, 1, 1, C);
        ShouldMatch(outputs["keep_out"].Values, keep);
        outputs["chan_out"].Shape.Should().Equal(N, H, W);
        ShouldMatch(outputs["chan_out"].Values, chan);
    }

    [Fact]
    public void Unsupported_fusions_are_refused_with_the_node_name()
    {
        var g = new Graph();
        g.Input("x", null, C);
        g.Const("k", [C, 2], Lcg(2 * C, 12, -1, 1));
        g.Const("b", [2], [0f, 0f]);
        g.Op("dense", "_FusedMatMul", ["x", "k", "b"], $"{{\"fused_ops\":{{\"list\":{{\"s\":[\"{B64("BiasAdd")}\",\"{B64("Tanh")}\"]}}}}}}");
        Action convert = () => TfjsToOnnxConverter.Convert(g.Build(), "bad");
        convert.Should().Throw<NotSupportedException>().WithMessage("dense: fused ops*");
    }

    [Fact]
    public void Nchwc_friendly_prelu_matches_prelu_after_a_fused_conv_and_on_its_own_and_emits_no_prelu()
    {
        // _FusedConv2D (1 x 1, BiasAdd + Prelu) then a standalone Prelu: negative, positive and > 1 slopes.
        const int Co = 4;
        var g = new Graph();
        g.Input("x", null, H, W, C);
        float[] filter = Lcg(C * Co, 20, -1, 1), bias = Lcg(Co, 21, -0.5f, 0.5f);
        float[] slope1 = [-0.3f, 0.1f, 0.25f, 1.7f], slope2 = [0.05f, -1.2f, 0.6f, 0.0f];
        g.Const("w", [1, 1, C, Co], filter);
        g.Const("b", [Co], bias);
        g.Const("a1", [Co], slope1);
        g.Const("a2", [1, 1, Co], slope2);
        string strides = "{\"list\":{\"i\":[\"1\",\"1\",\"1\",\"1\"]}}";
        g.Op("conv", "_FusedConv2D", ["x", "w", "b", "a1"],
            $"{{\"strides\":{strides},\"dilations\":{strides},\"padding\":{{\"s\":\"{B64("VALID")}\"}},"
            + $"\"fused_ops\":{{\"list\":{{\"s\":[\"{B64("BiasAdd")}\",\"{B64("Prelu")}\"]}}}}}}");
        g.Op("prelu", "Prelu", ["conv", "a2"]);
        g.Op("out", "Identity", ["prelu"]);

        float[] x = Lcg(N * H * W * C, 22, -3, 3);
        double[] expected = new double[N * H * W * Co];
        for (int p = 0; p < N * H * W; p++)
        {
            for (int o = 0; o < Co; o++)
            {
                double y = bias[o];
                for (int c = 0; c < C; c++)
                {
                    y += x[(p * C) + c] * (double)filter[(c * Co) + o];
                }

                y = y > 0 ? y : y * slope1[o];
                expected[(p * Co) + o] = y > 0 ? y : y * slope2[o];
            }
        }

        OnnxModel plain = TfjsToOnnxConverter.Convert(g.Build(), "prelu");
        OnnxModel fusable = TfjsToOnnxConverter.Convert(g.Build(), "prelu", nchwcFriendly: true);
        plain.Nodes.Count(n => n.OpType == "PRelu").Should().Be(2);
        fusable.Nodes.Should().NotContain(n => n.OpType == "PRelu");
        fusable.Nodes.Count(n => n.OpType == "BatchNormalization").Should().Be(4);
        expected.Should().Contain(v => v < 0, "the data must exercise the negative side");
        ShouldMatch(Run(plain, "x", [N, H, W, C], x)["out"].Values, expected);
        ShouldMatch(Run(fusable, "x", [N, H, W, C], x)["out"].Values, expected);
    }

    [Fact]
    public void Nchwc_friendly_channel_padding_after_max_pool_is_an_exact_identity_conv()
    {
        // BlazeFace's skip connection: conv (C channels) -> MaxPool 2 x 2 -> Pad channels to C + 3 -> Add to a
        // conv with C + 3 channels. Spatial or leading-channel padding stays an ONNX Pad.
        const int Co = C + 3;
        var g = new Graph();
        g.Input("x", null, 4, W, C);
        string strides = "{\"list\":{\"i\":[\"1\",\"1\",\"1\",\"1\"]}}";
        string conv = $"{{\"strides\":{strides},\"dilations\":{strides},\"padding\":{{\"s\":\"{B64("VALID")}\"}}}}";
        float[] f1 = Lcg(C * C, 30, -1, 1), f2 = Lcg(C * Co, 31, -1, 1);
        g.Const("w1", [1, 1, C, C], f1);
        g.Const("w2", [1, 1, C, Co], f2);
        g.Op("c1", "Conv2D", ["x", "w1"], conv);
        string two = "{\"list\":{\"i\":[\"1\",\"2\",\"2\",\"1\"]}}";
        g.Op("pool", "MaxPool", ["c1"], $"{{\"ksize\":{two},\"strides\":{two},\"padding\":{{\"s\":\"{B64("VALID")}\"}}}}");
        g.IntConst("pads", [4, 2], [0, 0, 0, 0, 0, 0, 0, 3]);
        g.Op("padded", "Pad", ["pool", "pads"]);
        g.Op("c2", "Conv2D", ["pool", "w2"], conv);
        g.Op("sum", "AddV2", ["c2", "padded"]);
        g.IntConst("spatialPads", [4, 2], [0, 0, 1, 0, 0, 0, 0, 0]);
        g.Op("spatial", "Pad", ["sum", "spatialPads"]);
        g.Op("out", "Identity", ["spatial"]);

        float[] x = Lcg(N * 4 * W * C, 32, -2, 2);
        OnnxModel plain = TfjsToOnnxConverter.Convert(g.Build(), "pad");
        OnnxModel friendly = TfjsToOnnxConverter.Convert(g.Build(), "pad", nchwcFriendly: true);
        plain.Nodes.Count(n => n.OpType == "Pad").Should().Be(2);
        friendly.Nodes.Count(n => n.OpType == "Pad").Should().Be(1, "only the spatial padding remains a Pad");
        friendly.Nodes.Count(n => n.OpType == "Conv").Should().Be(3);

        // Expected: c1, 2 x 2 max pool, c2, plus the pooled values in the first C channels, then a zero row on top.
        const int Hp = 2, Wp = W / 2;
        var expected = new double[N * (Hp + 1) * Wp * Co];
        for (int n = 0; n < N; n++)
        {
            for (int i = 0; i < Hp; i++)
            {
                for (int j = 0; j < Wp; j++)
                {
                    var pooled = new double[C];
                    for (int c = 0; c < C; c++)
                    {
                        pooled[c] = double.MinValue;
                        for (int di = 0; di < 2; di++)
                        {
                            for (int dj = 0; dj < 2; dj++)
                            {
                                double v = 0;
                                for (int k = 0; k < C; k++)
                                {
                                    v += x[(((((n * 4) + (2 * i) + di) * W) + (2 * j) + dj) * C) + k] * (double)f1[(k * C) + c];
                                }

                                pooled[c] = Math.Max(pooled[c], v);
                            }
                        }
                    }

                    for (int o = 0; o < Co; o++)
                    {
                        double v = o < C ? pooled[o] : 0;
                        for (int k = 0; k < C; k++)
                        {
                            v += pooled[k] * f2[(k * Co) + o];
                        }

                        expected[(((((n * (Hp + 1)) + i + 1) * Wp) + j) * Co) + o] = v;
                    }
                }
            }
        }

        ShouldMatch(Run(plain, "x", [N, 4, W, C], x)["out"].Values, expected, 1e-4);
        ShouldMatch(Run(friendly, "x", [N, 4, W, C], x)["out"].Values, expected, 1e-4);
    }
}
