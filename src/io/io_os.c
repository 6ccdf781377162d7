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
    DWORD attrs = GetFileAttributesA(path);
    if (attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_DIRECTORY))
        return di_fail(err, DI_E_IO, "%s is a directory, not a dump file", path);
    HANDLE fh = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                            FILE_ATTRIBUTE_NORMAL | FILE_FLAG_RANDOM_ACCESS, NULL);
    if (fh == INVALID_HANDLE_VALUE)
        return di_fail(err, DI_E_IO, "%s: cannot open (Windows error %lu)", path, GetLastError());
    /* Pipes and character devices (CON, NUL, COM1) have no size and may block on read. */
    DWORD type = GetFileType(fh);
    if (type != FILE_TYPE_DISK) {
        CloseHandle(fh);
        return di_fail(err, DI_E_IO, "%s is %s, not a dump file", path,
                       type == FILE_TYPE_PIPE   ? "a pipe"
                       : type == FILE_TYPE_CHAR ? "a character device"
                                                : "not a disk file");
    }
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

/* What a non-regular file is, for the refusal message; NULL for a regular file. */
static const char *not_a_file(mode_t mode)
{
    if (S_ISREG(mode))
        return NULL;
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISSOCK(mode))
        return "a socket";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    return "not a regular file";
}

static di_status refuse_kind(const char *path, const char *kind, di_error *err)
{
    return di_fail(err, DI_E_IO, "%s is %s, not a dump file", path, kind);
}

di_status io_os_open(const char *path, io_os_handle *h, uint64_t *size, di_error *err)
{
    /* Look before opening: open() on a FIFO waits for a writer, on a device it may do
     * anything the driver likes. stat() follows symlinks, as open() does. */
    struct stat st;
    if (stat(path, &st) != 0)
        return di_fail(err, DI_E_IO, "%s: cannot open: %s", path, strerror(errno));
    const char *kind = not_a_file(st.st_mode);
    if (kind)
        return refuse_kind(path, kind, err);
    /* The path may be swapped for a FIFO after the stat: O_NONBLOCK keeps open() from
     * waiting, and fstat() below checks what was really opened. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return di_fail(err, DI_E_IO, "%s: cannot open: %s", path, strerror(errno));
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return di_fail(err, DI_E_IO, "%s: cannot stat: %s", path, strerror(e));
    }
    kind = not_a_file(st.st_mode);
    if (kind) {
        close(fd);
        return refuse_kind(path, kind, err);
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
        int e = errno;
        close(fd);
        return di_fail(err, DI_E_IO, "%s: cannot set up the file for reading: %s", path, strerror(e));
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
