using CsCheck;

namespace Groundtruth.Analysis.Tests.Support;

/// <summary>
/// Property tests on fixed seeds, so the same commit gives the same answer twice. Each sample <c>i</c> is drawn from its
/// own generator seeded with <c>i</c>; seeds that ever failed are replayed first. Random exploration is opt-in:
/// <c>GROUNDTRUTH_EXPLORE=1 dotnet test</c> draws fresh seeds (CsCheck's own sampling) and prints any failing seed,
/// which then belongs in the test's list of replayed seeds.
/// </summary>
public static class FixedSeeds
{
    public static bool Exploring => Environment.GetEnvironmentVariable("GROUNDTRUTH_EXPLORE") is "1" or "true";

    /// <summary>Checks <paramref name="property"/> on <paramref name="iter"/> fixed samples plus <paramref name="replay"/>.</summary>
    public static void Check<T>(Gen<T> gen, Func<T, bool> property, int iter, Func<T, string>? print = null, params string[] replay)
    {
        if (Exploring)
        {
            gen.Sample(property, iter: iter, print: print);
            return;
        }
        var seeds = replay.Select(PCG.Parse).Concat(Enumerable.Range(0, iter).Select(i => new PCG(7, Mix((ulong)i))));
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.ForEach(seeds, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, pcg =>
        {
            var seed = pcg.ToString();
            var value = gen.Generate(pcg, null, out _);
            bool ok;
            try { ok = property(value); }
            catch (Exception e) { failures.Add($"seed {seed}: {e.GetType().Name}: {e.Message}"); return; }
            if (!ok) failures.Add($"seed {seed}: {(print is null ? value?.ToString() : print(value))}");
        });
        if (!failures.IsEmpty)
            throw new Xunit.Sdk.XunitException($"{failures.Count} failing sample(s); first: {failures.OrderBy(f => f, StringComparer.Ordinal).First()}");
    }

    /// <summary>SplitMix64: spreads consecutive sample numbers over the whole seed space.</summary>
    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
