/* SPDX-License-Identifier: MIT */
/* POSIX and Win32 implementations of the io_os seam. */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include "io/io_os.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util/error.h"
#include <stdlib.h>

/* Shared by both systems: a growing list of paths, sorted at the end. */
typedef struct path_list {
    char **items;
    size_t count, cap;
} path_list;

static int list_push(path_list *l, const char *dir, const char *name)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        char **n = realloc(l->items, cap * sizeof *n);
        if (!n)
            return -1;
        l->items = n;
        l->cap = cap;
    }
    size_t len = strlen(dir) + 1 + strlen(name) + 1;
    char *p = malloc(len);
    if (!p)
        return -1;
    snprintf(p, len, "%s/%s", dir, name);
    l->items[l->count++] = p;
    return 0;
}

static int cmp_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void io_os_free_list(char **paths, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(paths[i]);
    free(paths);
}

static di_status list_done(path_list *l, di_status st, char ***paths, size_t *count)
{
    if (st != DI_OK) {
        io_os_free_list(l->items, l->count);
        return st;
    }
    if (l->count)
        qsort(l->items, l->count, sizeof l->items[0], cmp_path);
    *paths = l->items;
    *count = l->count;
    return DI_OK;
}

#ifdef _WIN32
#include <io.h>
#include <windows.h>

int io_os_stderr_is_terminal(void) { return _isatty(_fileno(stderr)); }
double io_os_now(void) { return (double)GetTickCount64() / 1000.0; }

/* Paths are UTF-8 inside; Windows gets them as UTF-16 through the wide APIs. */
static wchar_t *win_wide(const char *s)
{
    int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, NULL, 0);
    if (n <= 0)
        return NULL;
    wchar_t *w = malloc((size_t)n * sizeof *w);
    if (w && MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, w, n) != n) {
        free(w);
        return NULL;
    }
    return w;
}

static char *win_utf8(const wchar_t *w)
{
    int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
    if (n <= 0)
        return NULL;
    char *s = malloc((size_t)n);
    if (s && WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL) != n) {
        free(s);
        return NULL;
    }
    return s;
}

/* A UTF-8 path for the wide file APIs. A long one (its full path near MAX_PATH or beyond) is
 * made absolute and given the \\?\ prefix (\\?\UNC\ for a share), which lifts the 260-character limit;
 * GetFullPathNameW has already turned '/' into '\' and resolved "." and "..", as the
 * prefix requires. NULL when path is not UTF-8 or memory is short. */
static wchar_t *win_path(const char *path)
{
    wchar_t *w = win_wide(path);
    if (!w || wcsncmp(w, L"\\\\?\\", 4) == 0)
        return w;
    /* A short relative name in a deep folder is long too: measure the full path. */
    DWORD n = GetFullPathNameW(w, 0, NULL, NULL);
    if (n < MAX_PATH - 12)
        return w;
    wchar_t *full = malloc(((size_t)n + 8) * sizeof *full);
    if (!full || GetFullPathNameW(w, n, full + 7, NULL) >= n) {
        free(full);
        return w; /* let the open fail and say why */
    }
    free(w);
    wchar_t *p = full + 7;
    if (p[0] == L'\\' && p[1] == L'\\') { /* \\server\share\... -> \\?\UNC\server\share\... */
        p -= 6;
        memcpy(p, L"\\\\?\\UNC", 7 * sizeof *p);
    } else {
        p -= 4;
        memcpy(p, L"\\\\?\\", 4 * sizeof *p);
    }
    memmove(full, p, (wcslen(p) + 1) * sizeof *p);
    return full;
}

/* The system's text for a Windows error code, in UTF-8, without the final period and line
 * break ("The system cannot find the file specified"). */
static const char *win_message(DWORD code, char *buf, size_t cap)
{
    wchar_t w[512];
    DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, code, 0, w,
                             sizeof w / sizeof w[0], NULL);
    while (n > 0 && (w[n - 1] == L'\r' || w[n - 1] == L'\n' || w[n - 1] == L' ' || w[n - 1] == L'.'))
        n--;
    if (n > 0) {
        w[n] = L'\0';
        char *s = win_utf8(w);
        if (s) {
            snprintf(buf, cap, "%s (error %lu)", s, (unsigned long)code);
            free(s);
            return buf;
        }
    }
    snprintf(buf, cap, "Windows error %lu", (unsigned long)code);
    return buf;
}

static di_status bad_path(const char *name, di_error *err)
{
    return di_fail(err, DI_E_IO, "%s: cannot open: the name is not valid UTF-8 (or memory is short)", name);
}

di_status io_os_open(const char *path, const char *name, io_os_handle *h, uint64_t *size, di_error *err)
{
    char msg[600];
    wchar_t *w = win_path(path);
    if (!w)
        return bad_path(name, err);
    DWORD attrs = GetFileAttributesW(w);
    if (attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_DIRECTORY)) {
        free(w);
        return di_fail(err, DI_E_IO, "%s is a directory, not a dump file", name);
    }
    /* Overlapped: the reader pool's reads of one handle then run at once (Windows serialises
     * the reads of a handle opened for synchronous I/O); win_io waits for each. */
    HANDLE fh = CreateFileW(w, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                            FILE_ATTRIBUTE_NORMAL | FILE_FLAG_RANDOM_ACCESS | FILE_FLAG_OVERLAPPED, NULL);
    DWORD code = GetLastError();
    free(w);
    if (fh == INVALID_HANDLE_VALUE)
        return di_fail(err, DI_E_IO, "%s: cannot open: %s", name, win_message(code, msg, sizeof msg));
    /* Pipes and character devices (CON, NUL, COM1) have no size and may block on read. */
    DWORD type = GetFileType(fh);
    if (type != FILE_TYPE_DISK) {
        CloseHandle(fh);
        return di_fail(err, DI_E_IO, "%s is %s, not a dump file", name,
                       type == FILE_TYPE_PIPE   ? "a pipe"
                       : type == FILE_TYPE_CHAR ? "a character device"
                                                : "not a disk file");
    }
    LARGE_INTEGER li;
    if (!GetFileSizeEx(fh, &li)) {
        code = GetLastError();
        CloseHandle(fh);
        return di_fail(err, DI_E_IO, "%s: cannot get the file size: %s", name, win_message(code, msg, sizeof msg));
    }
    *h = fh;
    *size = (uint64_t)li.QuadPart;
    return DI_OK;
}

FILE *io_os_fopen_write(const char *path)
{
    wchar_t *w = win_path(path);
    if (!w) {
        errno = EINVAL;
        return NULL;
    }
    FILE *f = _wfopen(w, L"wb");
    free(w);
    return f;
}

di_status io_os_stdin(io_os_handle *h, uint64_t *size, int *seekable, di_error *err)
{
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    *seekable = 0;
    if (in == INVALID_HANDLE_VALUE || in == NULL)
        return di_fail(err, DI_E_IO, "<stdin>: no standard input");
    LARGE_INTEGER li, zero, pos;
    zero.QuadPart = 0;
    if (GetFileType(in) == FILE_TYPE_DISK && GetFileSizeEx(in, &li) && SetFilePointerEx(in, zero, &pos, FILE_CURRENT) &&
        pos.QuadPart == 0 &&
        DuplicateHandle(GetCurrentProcess(), in, GetCurrentProcess(), h, 0, FALSE, DUPLICATE_SAME_ACCESS)) {
        *size = (uint64_t)li.QuadPart;
        *seekable = 1;
    }
    return DI_OK;
}

long io_os_stdin_read(void *buf, size_t len)
{
    DWORD got = 0;
    DWORD want = len > 0x40000000u ? 0x40000000u : (DWORD)len;
    if (!ReadFile(GetStdHandle(STD_INPUT_HANDLE), buf, want, &got, NULL)) {
        if (GetLastError() == ERROR_BROKEN_PIPE)
            return 0;
        errno = EIO;
        return -1;
    }
    return (long)got;
}

/* GetTempPathW: TMP, else TEMP, else the profile folder. */
static DWORD win_temp_dir(wchar_t dir[MAX_PATH + 1])
{
    DWORD n = GetTempPathW(MAX_PATH + 1, dir);
    return n > MAX_PATH ? 0 : n;
}

const char *io_os_temp_dir(char *buf, size_t cap)
{
    wchar_t dir[MAX_PATH + 1];
    char *s = win_temp_dir(dir) ? win_utf8(dir) : NULL;
    snprintf(buf, cap, "%s", s ? s : ".");
    free(s);
    return buf;
}

const char *io_os_temp_var(void) { return "TMP (or TEMP)"; }

int io_os_free_space(const char *dir, uint64_t *bytes)
{
    ULARGE_INTEGER avail;
    wchar_t *w = win_path(dir);
    BOOL ok = w && GetDiskFreeSpaceExW(w, &avail, NULL, NULL);
    free(w);
    if (!ok)
        return -1;
    *bytes = (uint64_t)avail.QuadPart;
    return 0;
}

/* A uniquely named file in the temporary folder, opened delete-on-close: the system removes
 * it when the last handle goes, also when the process is killed or crashes. */
di_status io_os_tempfile(io_os_handle *h, di_error *err)
{
    wchar_t dir[MAX_PATH + 1], name[MAX_PATH + 1];
    char msg[600], shown[MAX_PATH * 3 + 1];
    if (!win_temp_dir(dir))
        return di_fail(err, DI_E_IO, "cannot find the temporary folder (set %s)", io_os_temp_var());
    io_os_temp_dir(shown, sizeof shown);
    if (!GetTempFileNameW(dir, L"di", 0, name))
        return di_fail(err, DI_E_IO, "cannot create a temporary file in %s (set %s to choose another folder): %s",
                       shown, io_os_temp_var(), win_message(GetLastError(), msg, sizeof msg));
    /* GetTempFileNameW created the file, empty; reopened to be deleted on close, or removed
     * here when that fails. */
    HANDLE fh = CreateFileW(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                            FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    if (fh == INVALID_HANDLE_VALUE) {
        DWORD code = GetLastError();
        DeleteFileW(name);
        return di_fail(err, DI_E_IO, "cannot open a temporary file in %s: %s", shown,
                       win_message(code, msg, sizeof msg));
    }
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
        /* An event of its own: with several reads of an overlapped handle in flight, waiting
         * on the handle could return for another thread's read. */
        ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
        if (!ov.hEvent) {
            errno = ENOMEM;
            return -1;
        }
        BOOL ok = write ? WriteFile(h, p, chunk, NULL, &ov) : ReadFile(h, p, chunk, NULL, &ov);
        if (ok || GetLastError() == ERROR_IO_PENDING)
            ok = GetOverlappedResult(h, &ov, &got, TRUE);
        DWORD code = ok ? 0 : GetLastError();
        CloseHandle(ov.hEvent);
        if (!ok || got == 0) {
            SetLastError(code);
            errno = !ok && (GetLastError() == ERROR_DISK_FULL || GetLastError() == ERROR_HANDLE_DISK_FULL) ? ENOSPC
                                                                                                           : EIO;
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

di_status io_os_list_dir(const char *dir, size_t max, char ***paths, size_t *count, di_error *err)
{
    path_list l = {0};
    char msg[600];
    size_t plen = strlen(dir) + 3;
    char *pattern = malloc(plen);
    if (!pattern)
        return di_fail(err, DI_E_NOMEM, "%s: out of memory listing the folder", dir);
    snprintf(pattern, plen, "%s/*", dir);
    wchar_t *w = win_path(pattern);
    free(pattern);
    if (!w)
        return di_fail(err, DI_E_IO, "%s: cannot list the folder: the name is not valid UTF-8", dir);
    WIN32_FIND_DATAW fd;
    HANDLE fh = FindFirstFileW(w, &fd);
    DWORD code = GetLastError();
    free(w);
    if (fh == INVALID_HANDLE_VALUE)
        return di_fail(err, DI_E_IO, "%s: cannot list the folder: %s", dir, win_message(code, msg, sizeof msg));
    di_status st = DI_OK;
    do {
        if (fd.dwFileAttributes & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_DEVICE))
            continue;
        char *name = win_utf8(fd.cFileName);
        if (name && l.count >= max)
            st = di_fail(err, DI_E_LIMIT, "%s: holds more than %zu files", dir, max);
        else if (!name || list_push(&l, dir, name))
            st = di_fail(err, DI_E_NOMEM, "%s: out of memory listing the folder", dir);
        free(name);
    } while (st == DI_OK && FindNextFileW(fh, &fd));
    FindClose(fh);
    return list_done(&l, st, paths, count);
}

void io_os_close(io_os_handle h) { CloseHandle(h); }

#else
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

int io_os_stderr_is_terminal(void) { return isatty(STDERR_FILENO); }

double io_os_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

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

static di_status refuse_kind(const char *name, const char *kind, di_error *err)
{
    return di_fail(err, DI_E_IO, "%s is %s, not a dump file", name, kind);
}

di_status io_os_open(const char *path, const char *name, io_os_handle *h, uint64_t *size, di_error *err)
{
    /* Look before opening: open() on a FIFO waits for a writer, on a device it may do
     * anything the driver likes. stat() follows symlinks, as open() does. */
    struct stat st;
    if (stat(path, &st) != 0)
        return di_fail(err, DI_E_IO, "%s: cannot open: %s", name, strerror(errno));
    const char *kind = not_a_file(st.st_mode);
    if (kind)
        return refuse_kind(name, kind, err);
    /* The path may be swapped for a FIFO after the stat: O_NONBLOCK keeps open() from
     * waiting, and fstat() below checks what was really opened. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return di_fail(err, DI_E_IO, "%s: cannot open: %s", name, strerror(errno));
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return di_fail(err, DI_E_IO, "%s: cannot stat: %s", name, strerror(e));
    }
    kind = not_a_file(st.st_mode);
    if (kind) {
        close(fd);
        return refuse_kind(name, kind, err);
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
        int e = errno;
        close(fd);
        return di_fail(err, DI_E_IO, "%s: cannot set up the file for reading: %s", name, strerror(e));
    }
    *h = fd;
    *size = (uint64_t)st.st_size;
    return DI_OK;
}

di_status io_os_stdin(io_os_handle *h, uint64_t *size, int *seekable, di_error *err)
{
    struct stat st;
    *seekable = 0;
    if (fstat(STDIN_FILENO, &st) != 0)
        return di_fail(err, DI_E_IO, "<stdin>: cannot stat standard input: %s", strerror(errno));
    /* A regular file is read in place, unless something has already read part of it. */
    if (S_ISREG(st.st_mode) && lseek(STDIN_FILENO, 0, SEEK_CUR) == 0) {
        int fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0);
        if (fd >= 0) {
            *h = fd;
            *size = (uint64_t)st.st_size;
            *seekable = 1;
        }
    }
    return DI_OK;
}

long io_os_stdin_read(void *buf, size_t len)
{
    for (;;) {
        ssize_t n = read(STDIN_FILENO, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        return (long)n;
    }
}

const char *io_os_temp_dir(char *buf, size_t cap)
{
    const char *dir = getenv("TMPDIR");
    snprintf(buf, cap, "%s", dir && *dir ? dir : "/tmp");
    return buf;
}

const char *io_os_temp_var(void) { return "TMPDIR"; }

int io_os_free_space(const char *dir, uint64_t *bytes)
{
    struct statvfs sv;
    if (statvfs(dir, &sv) != 0)
        return -1;
    *bytes = (uint64_t)sv.f_bavail * (uint64_t)sv.f_frsize;
    return 0;
}

di_status io_os_tempfile(io_os_handle *h, di_error *err)
{
    char dir[4096], name[4200];
    io_os_temp_dir(dir, sizeof dir);
    snprintf(name, sizeof name, "%s/dumpinspect-XXXXXX", dir);
    int fd = mkstemp(name);
    if (fd < 0)
        return di_fail(err, DI_E_IO, "cannot create a temporary file in %s (set TMPDIR to choose another folder): %s",
                       dir, strerror(errno));
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

di_status io_os_list_dir(const char *dir, size_t max, char ***paths, size_t *count, di_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return di_fail(err, DI_E_IO, "%s: cannot list the folder: %s", dir, strerror(errno));
    path_list l = {0};
    di_status st = DI_OK;
    struct dirent *e;
    while (st == DI_OK && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        struct stat sb;
        if (fstatat(dirfd(d), e->d_name, &sb, 0) != 0 || !S_ISREG(sb.st_mode))
            continue;
        if (l.count >= max)
            st = di_fail(err, DI_E_LIMIT, "%s: holds more than %zu files", dir, max);
        else if (list_push(&l, dir, e->d_name))
            st = di_fail(err, DI_E_NOMEM, "%s: out of memory listing the folder", dir);
    }
    closedir(d);
    return list_done(&l, st, paths, count);
}

FILE *io_os_fopen_write(const char *path) { return fopen(path, "wb"); }

void io_os_close(io_os_handle h) { close(h); }
#endif
