using System.Runtime.InteropServices;

namespace NetNumerics.Training.Distributed;

/// <summary>
/// The few MPI functions training needs, bound at run time to MPICH's ABI (<c>libmpich.so.12</c>, shared by MPICH,
/// Intel MPI, Cray MPICH and MVAPICH): handles are 32-bit integers and the constants below are MPICH's <c>mpi.h</c>.
/// Open MPI's <c>libmpi.so.40</c> has another ABI (handles are pointers) and is not supported. The library is
/// <c>NETNUMERICS_MPI_LIBRARY</c> when set, else <c>libmpich.so.12</c>.
/// </summary>
internal static unsafe class MpiNative
{
    public const int CommWorld = 0x44000000;        // MPI_COMM_WORLD
    public const int Byte = 0x4c00010d;             // MPI_BYTE
    public const int ErrorsReturn = 0x54000001;     // MPI_ERRORS_RETURN
    public const int ThreadMultiple = 3;            // MPI_THREAD_MULTIPLE: the watchdog may call MPI_Abort while a collective waits
    public const int Success = 0;
    public const string LibraryVariable = "NETNUMERICS_MPI_LIBRARY";
    public const string DefaultLibrary = "libmpich.so.12";

    static nint handle;
    public static delegate* unmanaged<int*, int> Initialized;
    public static delegate* unmanaged<int*, int> Finalized;
    public static delegate* unmanaged<int*, nint*, int, int*, int> InitThread;
    public static delegate* unmanaged<int> Finalize;
    public static delegate* unmanaged<int, int*, int> CommRank;
    public static delegate* unmanaged<int, int*, int> CommSize;
    public static delegate* unmanaged<int, int, int> CommSetErrhandler;
    public static delegate* unmanaged<void*, int, int, void*, int*, int*, int, int, int> Allgatherv;
    public static delegate* unmanaged<int, int> Barrier;
    public static delegate* unmanaged<int, int, int> Abort;
    public static delegate* unmanaged<int, byte*, int*, int> ErrorString;

    public static string LibraryName => Environment.GetEnvironmentVariable(LibraryVariable) is { Length: > 0 } p ? p : DefaultLibrary;

    /// <summary>Loads the library and its functions once; an <see cref="MpiException"/> says what is missing.</summary>
    public static void Load()
    {
        if (handle != 0) return;
        string name = LibraryName;
        if (!NativeLibrary.TryLoad(name, out nint h))
            throw new MpiException(
                $"cannot load the MPI library {name}: install MPICH (Debian/Ubuntu: apt-get install mpich libmpich-dev) or set {LibraryVariable} to an MPICH-ABI library (MPICH, Intel MPI, Cray MPICH, MVAPICH).");
        nint F(string f) => NativeLibrary.TryGetExport(h, f, out nint p) ? p
            : throw new MpiException($"{name} has no function {f}: it is not an MPI library of the MPICH ABI.");
        Initialized = (delegate* unmanaged<int*, int>)F("MPI_Initialized");
        Finalized = (delegate* unmanaged<int*, int>)F("MPI_Finalized");
        InitThread = (delegate* unmanaged<int*, nint*, int, int*, int>)F("MPI_Init_thread");
        Finalize = (delegate* unmanaged<int>)F("MPI_Finalize");
        CommRank = (delegate* unmanaged<int, int*, int>)F("MPI_Comm_rank");
        CommSize = (delegate* unmanaged<int, int*, int>)F("MPI_Comm_size");
        CommSetErrhandler = (delegate* unmanaged<int, int, int>)F("MPI_Comm_set_errhandler");
        Allgatherv = (delegate* unmanaged<void*, int, int, void*, int*, int*, int, int, int>)F("MPI_Allgatherv");
        Barrier = (delegate* unmanaged<int, int>)F("MPI_Barrier");
        Abort = (delegate* unmanaged<int, int, int>)F("MPI_Abort");
        ErrorString = (delegate* unmanaged<int, byte*, int*, int>)F("MPI_Error_string");
        handle = h;
    }

    /// <summary>MPI's text for an error code (MPI_Error_string).</summary>
    public static string Describe(int code)
    {
        byte* text = stackalloc byte[512];   // MPI_MAX_ERROR_STRING
        int length = 0;
        if (ErrorString == null || ErrorString(code, text, &length) != Success) return $"MPI error {code}";
        return System.Text.Encoding.ASCII.GetString(text, Math.Clamp(length, 0, 512)).Trim();
    }
}
