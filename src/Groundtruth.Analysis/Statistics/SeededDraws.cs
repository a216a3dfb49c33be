using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Groundtruth.Analysis.Statistics;

/// <summary>
/// The very draws of <c>new Random(seed).Next(n)</c> — Knuth's subtractive generator, which .NET keeps for
/// seeded instances so published intervals stay reproducible — as a sealed class the JIT can inline, for
/// loops that draw hundreds of millions of times (bootstrap resampling at national scale).
/// </summary>
/// <remarks>A test draws from both side by side for several seeds and bounds and requires every draw equal.</remarks>
public sealed class SeededDraws
{
    private const int Modulus = int.MaxValue;
    private const int SeedConstant = 161_803_398;
    private readonly int[] _state = new int[56];
    private int _next;
    private int _nextLagged = 21;
    /// <summary>The straight buffer <see cref="Fill"/> computes in, kept between calls.</summary>
    private int[]? _buffer;

    public SeededDraws(int seed)
    {
        var subtraction = seed == int.MinValue ? int.MaxValue : Math.Abs(seed);
        var mj = SeedConstant - subtraction;
        _state[55] = mj;
        var mk = 1;
        var ii = 0;
        for (var i = 1; i < 55; i++)
        {
            ii += 21;
            if (ii >= 55) ii -= 55;
            _state[ii] = mk;
            mk = mj - mk;
            if (mk < 0) mk += Modulus;
            mj = _state[ii];
        }
        for (var round = 1; round < 5; round++)
        {
            for (var i = 1; i < 56; i++)
            {
                var n = i + 30;
                if (n >= 55) n -= 55;
                _state[i] -= _state[1 + n];
                if (_state[i] < 0) _state[i] += Modulus;
            }
        }
    }

    private SeededDraws(SeededDraws other)
    {
        _state = (int[])other._state.Clone();
        _next = other._next;
        _nextLagged = other._nextLagged;
    }

    /// <summary>An independent generator in the same state: it will make the same draws as this one from here.</summary>
    public SeededDraws Clone() => new(this);

    /// <summary>Becomes a copy of <paramref name="other"/>'s state (the draws it would make next).</summary>
    public void CopyFrom(SeededDraws other)
    {
        Array.Copy(other._state, _state, _state.Length);
        _next = other._next;
        _nextLagged = other._nextLagged;
    }

    /// <summary>Advances past <paramref name="count"/> draws (of any bound) without returning them.</summary>
    /// <remarks>
    /// The state steps the same whatever the bound. Each draw writes <c>x[n] = x[n-55] - x[n-34]</c> modulo the prime
    /// 2³¹−1 (the generator's 55 values are the last 55 written), a linear recurrence: the state <paramref name="count"/>
    /// draws ahead is a fixed linear combination of the state now, found from <c>z^count</c> modulo the recurrence's
    /// polynomial in a few thousand multiplications however far the jump (issue 11: threads resampling a bootstrap's
    /// later samples no longer step through the earlier ones' hundreds of millions of draws). Seeds far from zero can
    /// leave values outside [0, 2³¹−1) where the subtraction is not taken modulo the prime: then it steps.
    /// </remarks>
    public void Skip(long count)
    {
        if (count >= JumpFrom && InRange()) Jump(count);
        else Step(count);
    }

    /// <summary>Below this many draws stepping is as quick as jumping.</summary>
    private const long JumpFrom = 50_000;

    private void Step(long count)
    {
        var state = _state;
        int next = _next, lagged = _nextLagged;
        for (long i = 0; i < count; i++)
        {
            if (++next >= 56) next = 1;
            if (++lagged >= 56) lagged = 1;
            var value = state[next] - state[lagged];
            if (value == Modulus) value--;
            if (value < 0) value += Modulus;
            state[next] = value;
        }
        (_next, _nextLagged) = (next, lagged);
    }

    private bool InRange()
    {
        for (var i = 1; i < 56; i++) if (_state[i] is < 0 or >= Modulus) return false;
        return true;
    }

    /// <summary>
    /// With every value in [0, 2³¹−1): let y₀…y₅₄ be the 55 values oldest first (the last one written is y₅₄, in slot
    /// <c>_next</c>, slot 55 before the first draw); each draw appends <c>y[n] = y[n-55] - y[n-34]</c>, so
    /// <c>z⁵⁵ = 1 - z²¹</c>, and the value <c>k</c> places on is <c>z^k</c> reduced by that rule, applied to y₀…y₅₄.
    /// </summary>
    private void Jump(long count)
    {
        const int Lags = 55;
        var last = _next == 0 ? Lags : _next;
        var y = new long[Lags];
        for (var i = 0; i < Lags; i++) y[i] = _state[(last + i) % Lags + 1];
        // The new oldest value is y[count]: z^count, then times z for each of the next 54.
        var power = Power(count);
        var values = new int[Lags];
        for (var i = 0; i < Lags; i++)
        {
            ulong sum = 0;
            for (var j = 0; j < Lags; j++) sum = (sum + (ulong)power[j] * (ulong)y[j] % Modulus) % Modulus;
            values[i] = (int)sum;
            power = TimesZ(power);
        }
        var newLast = (int)((last - 1 + count) % Lags) + 1;
        for (var i = 0; i < Lags; i++) _state[(newLast + i) % Lags + 1] = values[i];
        _next = newLast;
        _nextLagged = (int)((_nextLagged - 1 + count) % Lags + Lags) % Lags + 1;
    }

    /// <summary>z^<paramref name="exponent"/> modulo z⁵⁵ + z²¹ − 1 over the integers modulo 2³¹−1 (coefficients of 1, z, … z⁵⁴).</summary>
    private static long[] Power(long exponent)
    {
        var result = new long[55];
        result[0] = 1;
        var square = new long[55];
        square[1] = 1;
        for (var e = exponent; e > 0; e >>= 1)
        {
            if ((e & 1) == 1) result = Times(result, square);
            if (e > 1) square = Times(square, square);
        }
        return result;
    }

    private static long[] Times(long[] a, long[] b)
    {
        var product = new long[109];
        for (var i = 0; i < 55; i++)
        {
            if (a[i] == 0) continue;
            for (var j = 0; j < 55; j++) product[i + j] = (product[i + j] + a[i] * b[j] % Modulus) % Modulus;
        }
        // z^(55+m) = z^m − z^(21+m): reduce from the top.
        for (var d = 108; d >= 55; d--)
        {
            var c = product[d];
            if (c == 0) continue;
            product[d] = 0;
            product[d - 55] = (product[d - 55] + c) % Modulus;
            product[d - 34] = (product[d - 34] - c + Modulus) % Modulus;
        }
        return product[..55];
    }

    private static long[] TimesZ(long[] a)
    {
        var shifted = new long[55];
        var top = a[54];
        for (var i = 54; i > 0; i--) shifted[i] = a[i - 1];
        shifted[0] = top;
        shifted[21] = (shifted[21] - top + Modulus) % Modulus;
        return shifted;
    }

    /// <summary>Fills <paramref name="draws"/> with the next draws in [0, <paramref name="maxValue"/>), as that many calls of <see cref="Next"/>.</summary>
    /// <remarks>
    /// Each value depends on the values 55 and 34 draws before it, so 8 consecutive values are computed at once
    /// (AVX2), in a straight buffer that starts with the 55 values now held, oldest first; the same integer and
    /// floating-point operations as <see cref="Next"/>, lane by lane, so the draws are the same bits.
    /// </remarks>
    public void Fill(Span<int> draws, int maxValue)
    {
        if (!Avx2.IsSupported || draws.Length < 64 || !InRange())
        {
            for (var i = 0; i < draws.Length; i++) draws[i] = Next(maxValue);
            return;
        }
        const int Lags = 55;
        var last = _next == 0 ? Lags : _next;
        if (_buffer is null || _buffer.Length < Lags + draws.Length) _buffer = new int[Lags + draws.Length];
        var values = _buffer;
        for (var i = 0; i < Lags; i++) values[i] = _state[(last + i) % Lags + 1];
        var modulus = Vector256.Create(Modulus);
        var scale = Vector256.Create(1.0 / Modulus);
        var bound = Vector256.Create((double)maxValue);
        ref var v = ref MemoryMarshal.GetArrayDataReference(values);
        ref var d = ref MemoryMarshal.GetReference(draws);
        var whole = draws.Length & ~7;
        for (var i = 0; i < whole; i += 8)
        {
            // y[n] = y[n-55] - y[n-34], plus the modulus where negative (both in [0, modulus): never equal to it).
            var y = Vector256.LoadUnsafe(ref v, (nuint)i) - Vector256.LoadUnsafe(ref v, (nuint)(i + 21));
            y += modulus & Vector256.LessThan(y, Vector256<int>.Zero);
            y.StoreUnsafe(ref v, (nuint)(i + Lags));
            var low = Avx.ConvertToVector256Double(y.GetLower()) * scale * bound;
            var high = Avx.ConvertToVector256Double(y.GetUpper()) * scale * bound;
            Avx.ConvertToVector128Int32WithTruncation(low).StoreUnsafe(ref d, (nuint)i);
            Avx.ConvertToVector128Int32WithTruncation(high).StoreUnsafe(ref d, (nuint)(i + 4));
        }
        for (var i = whole; i < draws.Length; i++)
        {
            var y = values[i] - values[i + 21];
            if (y < 0) y += Modulus;
            values[i + Lags] = y;
            draws[i] = (int)(y * (1.0 / Modulus) * maxValue);
        }
        // The 55 newest values back into their slots, as that many calls of Next leave them.
        var newLast = (int)((last - 1 + (long)draws.Length) % Lags) + 1;
        for (var i = 0; i < Lags; i++) _state[(newLast + i) % Lags + 1] = values[draws.Length + i];
        _next = newLast;
        _nextLagged = (int)((_nextLagged - 1 + (long)draws.Length) % Lags) + 1;
    }

    /// <summary>A draw in [0, <paramref name="maxValue"/>), as <see cref="Random.Next(int)"/> of a seeded instance.</summary>
    public int Next(int maxValue)
    {
        var next = _next + 1;
        if (next >= 56) next = 1;
        var lagged = _nextLagged + 1;
        if (lagged >= 56) lagged = 1;
        var value = _state[next] - _state[lagged];
        if (value == Modulus) value--;
        if (value < 0) value += Modulus;
        _state[next] = value;
        _next = next;
        _nextLagged = lagged;
        return (int)(value * (1.0 / Modulus) * maxValue);
    }
}
