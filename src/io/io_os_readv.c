/* SPDX-License-Identifier: MIT */
/* Vectored positioned reads: one read of a file range into several buffers (the pages of a
 * merged batch span), optionally only when the operating system's cache holds all of it. */
#if !defined(_WIN32) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* preadv2, RWF_NOWAIT */
#endif
#include "io/io_os.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
int io_os_preadv(io_os_handle h, uint64_t off, const io_os_vec *v, int n, int nowait)
{
    if (nowait)
        return 1; /* no cache-only read here: the caller issues it on the pool */
    if (n == 1)
        return io_os_pread(h, off, v[0].base, v[0].len);
    size_t total = 0;
    for (int i = 0; i < n; i++)
        total += v[i].len;
    unsigned char *tmp = malloc(total ? total : 1);
    if (!tmp) {
        errno = ENOMEM;
        return -1;
    }
    int rc = io_os_pread(h, off, tmp, total);
    size_t at = 0;
    for (int i = 0; rc == 0 && i < n; i++) {
        memcpy(v[i].base, tmp + at, v[i].len);
        at += v[i].len;
    }
    free(tmp);
    return rc;
}
#else
#include <sys/uio.h>

#define VEC_MAX 1024 /* IOV_MAX on Linux and the BSDs */

int io_os_preadv(io_os_handle h, uint64_t off, const io_os_vec *v, int n, int nowait)
{
    struct iovec iov[VEC_MAX];
    if (n < 1 || n > VEC_MAX) {
        errno = EINVAL;
        return -1;
    }
#if !defined(RWF_NOWAIT)
    if (nowait)
        return 1;
#endif
    for (int i = 0; i < n; i++)
        iov[i] = (struct iovec){.iov_base = v[i].base, .iov_len = v[i].len};
    struct iovec *cur = iov;
    int left = n;
    while (left > 0) {
        ssize_t got;
#if defined(RWF_NOWAIT)
        if (nowait) {
            got = preadv2(h, cur, left, (off_t)off, RWF_NOWAIT);
            if (got < 0 && (errno == EAGAIN || errno == EOPNOTSUPP || errno == EINVAL || errno == ENOSYS))
                return 1;
        } else
#endif
            got = preadv(h, cur, left, (off_t)off);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            if (nowait && got == 0)
                return 1;
            if (got == 0)
                errno = EIO;
            return -1;
        }
        off += (uint64_t)got;
        while (left > 0 && (size_t)got >= cur->iov_len) {
            got -= (ssize_t)cur->iov_len;
            cur++;
            left--;
        }
        if (left > 0) {
            if (nowait)
                return 1; /* part is not cached: the rest would wait */
            cur->iov_base = (char *)cur->iov_base + got;
            cur->iov_len -= (size_t)got;
        }
    }
    return 0;
}
#endif
