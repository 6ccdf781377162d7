/* POSIX and Win32 implementations of the io_os seam. */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include "io/io_os.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util/error.h"

#ifdef _WIN32
#include <windows.h>

di_status io_os_open(const char *path, io_os_handle *h, uint64_t *size, di_error *err)
{
    HANDLE fh = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                            FILE_ATTRIBUTE_NORMAL | FILE_FLAG_RANDOM_ACCESS, NULL);
    if (fh == INVALID_HANDLE_VALUE)
        return di_fail(err, DI_E_IO, "%s: cannot open (Windows error %lu)", path, GetLastError());
    LARGE_INTEGER li;
    if (!GetFileSizeEx(fh, &li)) {
        CloseHandle(fh);
        return di_fail(err, DI_E_IO, "%s: cannot get the file size", path);
    }
    *h = fh;
    *size = (uint64_t)li.QuadPart;
    return DI_OK;
}

di_status io_os_tempfile(io_os_handle *h, di_error *err)
{
    char dir[MAX_PATH + 1], name[MAX_PATH + 1];
    if (!GetTempPathA(sizeof dir, dir) || !GetTempFileNameA(dir, "di", 0, name))
        return di_fail(err, DI_E_IO, "cannot create a temporary file");
    HANDLE fh = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                            FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    if (fh == INVALID_HANDLE_VALUE)
        return di_fail(err, DI_E_IO, "cannot create a temporary file %s", name);
    *h = fh;
    return DI_OK;
}

static int win_io(HANDLE h, uint64_t off, void *buf, size_t len, int write)
{
    unsigned char *p = buf;
    while (len > 0) {
        DWORD chunk = len > 0x40000000u ? 0x40000000u : (DWORD)len, got = 0;
        OVERLAPPED ov;
        memset(&ov, 0, sizeof ov);
        ov.Offset = (DWORD)off;
        ov.OffsetHigh = (DWORD)(off >> 32);
        BOOL ok = write ? WriteFile(h, p, chunk, &got, &ov) : ReadFile(h, p, chunk, &got, &ov);
        if (!ok || got == 0) {
            errno = EIO;
            return -1;
        }
        p += got;
        off += got;
        len -= got;
    }
    return 0;
}

int io_os_pread(io_os_handle h, uint64_t off, void *buf, size_t len) { return win_io(h, off, buf, len, 0); }
int io_os_write_all(io_os_handle h, uint64_t off, const void *buf, size_t len)
{
    return win_io(h, off, (void *)buf, len, 1);
}
void io_os_close(io_os_handle h) { CloseHandle(h); }

#else
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

di_status io_os_open(const char *path, io_os_handle *h, uint64_t *size, di_error *err)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return di_fail(err, DI_E_IO, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return di_fail(err, DI_E_IO, "%s: cannot stat: %s", path, strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return di_fail(err, DI_E_IO, "%s: not a regular file", path);
    }
    *h = fd;
    *size = (uint64_t)st.st_size;
    return DI_OK;
}

di_status io_os_tempfile(io_os_handle *h, di_error *err)
{
    const char *dir = getenv("TMPDIR");
    char name[4096];
    snprintf(name, sizeof name, "%s/dumpinspect-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(name);
    if (fd < 0)
        return di_fail(err, DI_E_IO, "cannot create a temporary file in %s: %s", name, strerror(errno));
    unlink(name); /* anonymous from now on: removed when closed, even on a crash */
    *h = fd;
    return DI_OK;
}

int io_os_pread(io_os_handle h, uint64_t off, void *buf, size_t len)
{
    unsigned char *p = buf;
    while (len > 0) {
        ssize_t n = pread(h, p, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = EIO;
            return -1;
        }
        p += n;
        off += (uint64_t)n;
        len -= (size_t)n;
    }
    return 0;
}

int io_os_write_all(io_os_handle h, uint64_t off, const void *buf, size_t len)
{
    const unsigned char *p = buf;
    while (len > 0) {
        ssize_t n = pwrite(h, p, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        off += (uint64_t)n;
        len -= (size_t)n;
    }
    return 0;
}

void io_os_close(io_os_handle h) { close(h); }
#endif
