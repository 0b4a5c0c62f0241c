namespace FaceDefender.ModelConverter;

/// <summary>ONNX TensorProto.DataType values used here (from onnx.proto).</summary>
internal enum OnnxDataType
{
    Float = 1,
    Int32 = 6,
    Int64 = 7,
}

/// <summary>A constant tensor (an ONNX initializer), stored little-endian as raw bytes.</summary>
internal sealed record OnnxTensor(string Name, long[] Dims, OnnxDataType DataType, byte[] RawData)
{
    public static OnnxTensor FromFloats(string name, long[] dims, float[] values)
    {
        var raw = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            BitConverter.TryWriteBytes(raw.AsSpan(i * 4), values[i]);
        }

        return new OnnxTensor(name, dims, OnnxDataType.Float, raw);
    }

    public static OnnxTensor FromInt64s(string name, long[] dims, long[] values)
    {
        var raw = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++)
        {
            BitConverter.TryWriteBytes(raw.AsSpan(i * 8), values[i]);
        }

        return new OnnxTensor(name, dims, OnnxDataType.Int64, raw);
    }
}

/// <summary>A node attribute: exactly one of the value fields is set.</summary>
internal sealed record OnnxAttribute(string Name, long? Int = null, float? Float = null, string? String = null, long[]? Ints = null);

/// <summary>One ONNX node.</summary>
internal sealed record OnnxNode(string OpType, string Name, string[] Inputs, string[] Outputs, OnnxAttribute[] Attributes);

/// <summary>A graph input or output: element type and shape (null dimension = symbolic "batch").</summary>
internal sealed record OnnxValueInfo(string Name, OnnxDataType ElementType, long?[]? Shape);

/// <summary>An ONNX model with one graph, serialised by hand with <see cref="ProtoWriter"/>.</summary>
internal sealed class OnnxModel
{
    // Field numbers below are those of onnx.proto (ModelProto, GraphProto, NodeProto, ...).
    public const long IrVersion = 7;
    public const long OpsetVersion = 13;

    public List<OnnxNode> Nodes { get; } = [];
    public List<OnnxTensor> Initializers { get; } = [];
    public List<OnnxValueInfo> Inputs { get; } = [];
    public List<OnnxValueInfo> Outputs { get; } = [];
    public List<KeyValuePair<string, string>> Metadata { get; } = [];
    public string GraphName { get; set; } = "graph";
    public string DocString { get; set; } = "";

    public byte[] Serialize()
    {
        var model = new ProtoWriter();
        model.Int64(1, IrVersion);
        model.String(2, "FaceDefender.ModelConverter");
        model.String(3, "1");
        if (DocString.Length > 0)
        {
            model.String(6, DocString);
        }

        model.Message(7, WriteGraph);
        model.Message(8, opset =>
        {
            opset.String(1, "");
            opset.Int64(2, OpsetVersion);
        });
        foreach (var (key, value) in Metadata)
        {
            model.Message(14, entry =>
            {
                entry.String(1, key);
                entry.String(2, value);
            });
        }

        return model.ToArray();
    }

    private void WriteGraph(ProtoWriter graph)
    {
        foreach (OnnxNode node in Nodes)
        {
            graph.Message(1, w => WriteNode(w, node));
        }

        graph.String(2, GraphName);
        foreach (OnnxTensor tensor in Initializers)
        {
            graph.Message(5, w => WriteTensor(w, tensor));
        }

        foreach (OnnxValueInfo input in Inputs)
        {
            graph.Message(11, w => WriteValueInfo(w, input));
        }

        foreach (OnnxValueInfo output in Outputs)
        {
            graph.Message(12, w => WriteValueInfo(w, output));
        }
    }

    private static void WriteNode(ProtoWriter w, OnnxNode node)
    {
        foreach (string input in node.Inputs)
        {
            w.String(1, input);
        }

        foreach (string output in node.Outputs)
        {
            w.String(2, output);
        }

        w.String(3, node.Name);
        w.String(4, node.OpType);
        foreach (OnnxAttribute attribute in node.Attributes)
        {
            w.Message(5, a => WriteAttribute(a, attribute));
        }
    }

    private static void WriteAttribute(ProtoWriter a, OnnxAttribute attribute)
    {
        // AttributeType: FLOAT = 1, INT = 2, STRING = 3, INTS = 7.
        a.String(1, attribute.Name);
        if (attribute.Float is float f)
        {
            a.Float(2, f);
            a.Int64(20, 1);
        }
        else if (attribute.Int is long i)
        {
            a.Int64(3, i);
            a.Int64(20, 2);
        }
        else if (attribute.String is string s)
        {
            a.String(4, s);
            a.Int64(20, 3);
        }
        else if (attribute.Ints is long[] ints)
        {
            foreach (long v in ints)
            {
                a.Int64(8, v);
            }

            a.Int64(20, 7);
        }
        else
        {
            throw new InvalidOperationException($"Attribute {attribute.Name} has no value.");
        }
    }

    private static void WriteTensor(ProtoWriter t, OnnxTensor tensor)
    {
        foreach (long d in tensor.Dims)
        {
            t.Int64(1, d);
        }

        t.Int64(2, (long)tensor.DataType);
        t.String(8, tensor.Name);
        t.Bytes(9, tensor.RawData);
    }

    private static void WriteValueInfo(ProtoWriter v, OnnxValueInfo info)
    {
        v.String(1, info.Name);
        v.Message(2, type => type.Message(1, tensorType =>
        {
            tensorType.Int64(1, (long)info.ElementType);
            if (info.Shape is not null)
            {
                tensorType.Message(2, shape =>
                {
                    foreach (long? dim in info.Shape)
                    {
                        shape.Message(1, d =>
                        {
                            if (dim is long value)
                            {
                                d.Int64(1, value);
                            }
                            else
                            {
                                d.String(2, "batch");
                            }
                        });
                    }
                });
            }
        }));
    }
}
