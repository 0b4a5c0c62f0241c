namespace FaceDefender.Pipeline;

/// <summary>
/// A process-wide budget of bytes shared by concurrent work: each photo leases its estimated peak memory before it is
/// decoded and returns it when done, so parallel photos together stay under the budget. A request larger than the whole
/// budget waits until nothing else holds a lease and then runs alone. Thread-safe.
/// </summary>
public sealed class MemoryBudget
{
    private readonly object _gate = new();
    private long _inUse;
    private int _leases;

    /// <summary>Creates a budget.</summary>
    /// <param name="totalBytes">Bytes available to all leases together (at least 1 MiB).</param>
    /// <exception cref="ArgumentOutOfRangeException">Below 1 MiB.</exception>
    public MemoryBudget(long totalBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalBytes, 1024L * 1024, nameof(totalBytes));
        TotalBytes = totalBytes;
    }

    /// <summary>The budget.</summary>
    public long TotalBytes { get; }

    /// <summary>Bytes leased now.</summary>
    public long InUseBytes
    {
        get
        {
            lock (_gate)
            {
                return _inUse;
            }
        }
    }

    /// <summary>
    /// A default for this machine: half the memory available to the process (physical memory or the container's limit),
    /// at most 8 GiB and at least 512 MiB.
    /// </summary>
    /// <returns>The budget.</returns>
    public static MemoryBudget ForThisMachine()
    {
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return new MemoryBudget(Math.Clamp(available / 2, 512L * 1024 * 1024, 8L * 1024 * 1024 * 1024));
    }

    /// <summary>Waits until <paramref name="bytes"/> fit in the budget and leases them.</summary>
    /// <param name="bytes">Estimated peak bytes (0 or more).</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The lease; dispose it to return the bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Negative bytes.</exception>
    /// <exception cref="OperationCanceledException">Cancelled while waiting.</exception>
    public IDisposable Acquire(long bytes, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        long granted = Math.Min(bytes, TotalBytes);
        using CancellationTokenRegistration wake = cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        });
        lock (_gate)
        {
            while (_leases > 0 && _inUse + granted > TotalBytes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Monitor.Wait(_gate);
            }

            cancellationToken.ThrowIfCancellationRequested();
            _inUse += granted;
            _leases++;
        }

        return new Lease(this, granted);
    }

    private void Release(long bytes)
    {
        lock (_gate)
        {
            _inUse -= bytes;
            _leases--;
            Monitor.PulseAll(_gate);
        }
    }

    private sealed class Lease(MemoryBudget owner, long bytes) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Release(bytes);
            }
        }
    }
}
