/* SPDX-License-Identifier: MIT */
/* The generator's only operating-system calls: create a file of a given logical size (holes read
 * as zeros and take no disk space where the file system supports sparse files) and write at
 * explicit offsets. On Windows the file is not marked sparse, so huge sparse dumps are only cheap
 * on POSIX hosts. */
#if !defined(_WIN32)
#define _POSIX_C_SOURCE 200809L
#endif

#include "fg_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(_WIN32)
#include <fcntl.h>
#include <io.h>
#include <sys/stat.h>
#else
#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>
#endif

struct fg_file {
    int fd;
};

fg_file *fg_os_create(const char *path, uint64_t size, char *err, size_t errlen)
{
    fg_file *f = malloc(sizeof(*f));
    if (f == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
#if defined(_WIN32)
    f->fd = _open(path, _O_WRONLY | _O_CREAT | _O_TRUNC | _O_BINARY, _S_IREAD | _S_IWRITE);
    int ok = f->fd >= 0 && _chsize_s(f->fd, (long long)size) == 0;
#else
    f->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int ok = f->fd >= 0 && ftruncate(f->fd, (off_t)size) == 0;
#endif
    if (!ok) {
        snprintf(err, errlen, "cannot create a %llu-byte file: %s", (unsigned long long)size,
                 strerror(errno));
        if (f->fd >= 0) {
#if defined(_WIN32)
            _close(f->fd);
#else
            close(f->fd);
#endif
        }
        free(f);
        return NULL;
    }
    return f;
}

int fg_os_pwrite(fg_file *f, const void *buf, size_t len, uint64_t off, char *err, size_t errlen)
{
    const char *p = buf;
    while (len > 0) {
#if defined(_WIN32)
        unsigned chunk = len > 0x40000000u ? 0x40000000u : (unsigned)len;
        long long n = -1;
        if (_lseeki64(f->fd, (long long)off, SEEK_SET) == (long long)off)
            n = _write(f->fd, p, chunk);
#else
        ssize_t n = pwrite(f->fd, p, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
#endif
        if (n <= 0) {
            snprintf(err, errlen, "write of %zu bytes at offset 0x%llx failed: %s", len,
                     (unsigned long long)off, strerror(errno));
            return FG_E_IO;
        }
        p += n;
        len -= (size_t)n;
        off += (uint64_t)n;
    }
    return FG_OK;
}

int fg_os_close(fg_file *f, char *err, size_t errlen)
{
#if defined(_WIN32)
    int rc = _close(f->fd);
#else
    int rc = close(f->fd);
#endif
    free(f);
    if (rc != 0) {
        snprintf(err, errlen, "close failed: %s", strerror(errno));
        return FG_E_IO;
    }
    return FG_OK;
}
