/* TEST-ONLY stub for running the Windows bundle under wine 8, which lacks bcryptprimitives.dll.
 * Rust-built wheels (cryptography, python-calamine) import ProcessPrng from it; Windows 10 and 11 have it.
 * Built by packaging/windows/build.sh into the wine prefix's system32 only; never part of the bundle or installer. */
#include <windows.h>

#define RtlGenRandom SystemFunction036
BOOLEAN WINAPI RtlGenRandom(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!RtlGenRandom(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
