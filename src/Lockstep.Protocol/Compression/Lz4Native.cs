using System.Runtime.InteropServices;

namespace Lockstep.Protocol.Compression;

/// <summary>
/// Debian's liblz4 (package liblz4-1), raw block API only. No LZ4 package is on the NuGet mirror here, and
/// the block format is what Syncthing puts on the wire; the frame API (LZ4F_*) must not be used.
/// </summary>
internal static unsafe partial class Lz4Native
{
    private const string Library = "liblz4.so.1";

    /// <summary>Compresses srcSize bytes into at most dstCapacity bytes; returns the block length, or 0 if it does not fit.</summary>
    [LibraryImport(Library, EntryPoint = "LZ4_compress_default")]
    internal static partial int CompressDefault(byte* src, byte* dst, int srcSize, int dstCapacity);

    /// <summary>
    /// Decompresses one block, never writing past dstCapacity nor reading past compressedSize; returns the
    /// decompressed length, or a negative number for a malformed block (or one that needs more room).
    /// </summary>
    [LibraryImport(Library, EntryPoint = "LZ4_decompress_safe")]
    internal static partial int DecompressSafe(byte* src, byte* dst, int compressedSize, int dstCapacity);

    /// <summary>The worst-case block length for inputSize bytes (0 if inputSize is too large for LZ4).</summary>
    [LibraryImport(Library, EntryPoint = "LZ4_compressBound")]
    internal static partial int CompressBound(int inputSize);
}
