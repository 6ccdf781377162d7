#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include "support_os.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#ifdef _WIN32
#include <direct.h>
#include <io.h>
#include <process.h>
#include <windows.h>

/* UTF-8 to UTF-16 on the heap (NULL when not UTF-8). */
static wchar_t *wide(const char *s)
{
    int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, NULL, 0);
    wchar_t *w = n > 0 ? malloc((size_t)n * sizeof *w) : NULL;
    if (w)
        MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, w, n);
    return w;
}

/* Long names (the 300-character tests) need the \\?\ form of the full path. */
static wchar_t *wide_path(const char *s)
{
    wchar_t *w = wide(s);
    DWORD n = w ? GetFullPathNameW(w, 0, NULL, NULL) : 0;
    if (n < MAX_PATH - 12)
        return w;
    wchar_t *full = malloc(((size_t)n + 4) * sizeof *full);
    if (full) {
        memcpy(full, L"\\\\?\\", 4 * sizeof *full);
        GetFullPathNameW(w, n, full + 4, NULL);
    }
    free(w);
    return full;
}

FILE *t_fopen(const char *path, const char *mode)
{
    wchar_t *w = wide_path(path), *m = wide(mode);
    FILE *f = w && m ? _wfopen(w, m) : NULL;
    free(w);
    free(m);
    return f;
}

int t_seek(FILE *f, uint64_t off) { return _fseeki64(f, (long long)off, SEEK_SET); }

int t_mkdir(const char *path)
{
    wchar_t *w = wide_path(path);
    int ok = w && (CreateDirectoryW(w, NULL) || GetLastError() == ERROR_ALREADY_EXISTS);
    free(w);
    return ok ? 0 : -1;
}

int t_remove(const char *path)
{
    wchar_t *w = wide_path(path);
    int ok = w && (DeleteFileW(w) || RemoveDirectoryW(w));
    free(w);
    return ok ? 0 : -1;
}

int t_set_size(const char *path, uint64_t size)
{
    FILE *f = t_fopen(path, "r+b");
    if (!f)
        return -1;
    int rc = _chsize_s(_fileno(f), (long long)size);
    fclose(f);
    return rc == 0 ? 0 : -1;
}

int64_t t_size(const char *path)
{
    WIN32_FILE_ATTRIBUTE_DATA a;
    wchar_t *w = wide_path(path);
    int ok = w && GetFileAttributesExW(w, GetFileExInfoStandard, &a);
    free(w);
    return ok ? (int64_t)(((uint64_t)a.nFileSizeHigh << 32) | a.nFileSizeLow) : -1;
}

long t_pid(void) { return (long)GetCurrentProcessId(); }

int t_setenv(const char *name, const char *value) { return _putenv_s(name, value) == 0 ? 0 : -1; }

void t_watchdog(unsigned seconds) { (void)seconds; }
int t_mkfifo(const char *path) { (void)path; return -1; }
int t_symlink(const char *target, const char *link)
{
    (void)target;
    (void)link;
    return -1;
}

/* One argument quoted for CommandLineToArgvW / the C runtime's parser. */
static size_t quote_arg(wchar_t *out, const wchar_t *a)
{
    size_t o = 0;
    out[o++] = L'"';
    for (const wchar_t *p = a;; p++) {
        size_t bs = 0;
        while (*p == L'\\') {
            p++;
            bs++;
        }
        if (*p == L'\0' || *p == L'"') {
            /* Backslashes before a quote (ours or the closing one) are doubled. */
            for (size_t i = 0; i < bs * 2; i++)
                out[o++] = L'\\';
            if (*p == L'\0')
                break;
            out[o++] = L'\\';
            out[o++] = L'"';
        } else {
            for (size_t i = 0; i < bs; i++)
                out[o++] = L'\\';
            out[o++] = *p;
        }
    }
    out[o++] = L'"';
    return o;
}

static HANDLE open_redirect(const char *path, int write)
{
    if (!path)
        return GetStdHandle(write ? STD_OUTPUT_HANDLE : STD_INPUT_HANDLE);
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    wchar_t *w = wide_path(path);
    HANDLE h = w ? CreateFileW(w, write ? GENERIC_WRITE : GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa,
                               write ? CREATE_ALWAYS : OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL)
                 : INVALID_HANDLE_VALUE;
    free(w);
    return h;
}

int t_system(const char *cmd)
{
    print_message("skipped on Windows: needs a POSIX shell for: %s\n", cmd);
    skip();
    return -1;
}

int t_spawn(const char *const *argv, const char *in_path, const char *out_path, const char *err_path)
{
    size_t cap = 1;
    for (size_t i = 0; argv[i]; i++)
        cap += 2 * strlen(argv[i]) + 4;
    wchar_t *cmd = malloc(cap * sizeof *cmd);
    if (!cmd)
        return -1;
    size_t o = 0;
    for (size_t i = 0; argv[i]; i++) {
        wchar_t *a = wide(argv[i]);
        if (!a) {
            free(cmd);
            return -1;
        }
        if (i)
            cmd[o++] = L' ';
        o += quote_arg(cmd + o, a);
        free(a);
    }
    cmd[o] = L'\0';
    STARTUPINFOW si;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = open_redirect(in_path, 0);
    si.hStdOutput = open_redirect(out_path, 1);
    si.hStdError = err_path ? open_redirect(err_path, 1) : GetStdHandle(STD_ERROR_HANDLE);
    PROCESS_INFORMATION pi;
    int rc = -1;
    if (si.hStdInput != INVALID_HANDLE_VALUE && si.hStdOutput != INVALID_HANDLE_VALUE &&
        si.hStdError != INVALID_HANDLE_VALUE &&
        CreateProcessW(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
        DWORD code;
        WaitForSingleObject(pi.hProcess, INFINITE);
        if (GetExitCodeProcess(pi.hProcess, &code))
            rc = (int)code;
        CloseHandle(pi.hProcess);
        CloseHandle(pi.hThread);
    }
    if (in_path && si.hStdInput != INVALID_HANDLE_VALUE)
        CloseHandle(si.hStdInput);
    if (out_path && si.hStdOutput != INVALID_HANDLE_VALUE)
        CloseHandle(si.hStdOutput);
    if (err_path && si.hStdError != INVALID_HANDLE_VALUE)
        CloseHandle(si.hStdError);
    free(cmd);
    return rc;
}
#else
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

FILE *t_fopen(const char *path, const char *mode) { return fopen(path, mode); }
int t_seek(FILE *f, uint64_t off) { return fseeko(f, (off_t)off, SEEK_SET); }
int t_mkdir(const char *path) { return mkdir(path, 0777) == 0 || errno == EEXIST ? 0 : -1; }
int t_remove(const char *path) { return remove(path); }
int t_set_size(const char *path, uint64_t size) { return truncate(path, (off_t)size); }
long t_pid(void) { return (long)getpid(); }

int t_setenv(const char *name, const char *value) { return setenv(name, value, 1); }

static char watchdog_msg[96];

static void on_watchdog(int sig)
{
    (void)sig;
    ssize_t n = write(2, watchdog_msg, strlen(watchdog_msg));
    (void)n;
    _exit(99);
}

void t_watchdog(unsigned seconds)
{
    if (seconds) {
        snprintf(watchdog_msg, sizeof watchdog_msg, "watchdog: a test case ran for more than %u s (a hang)\n", seconds);
        signal(SIGALRM, on_watchdog);
    }
    alarm(seconds);
}

int t_mkfifo(const char *path) { return mkfifo(path, 0600); }
int t_symlink(const char *target, const char *link) { return symlink(target, link); }

int64_t t_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (int64_t)st.st_size : -1;
}

int t_system(const char *cmd)
{
    int rc = system(cmd);
    assert_true(rc != -1 && WIFEXITED(rc));
    return WEXITSTATUS(rc);
}

static int redirect(const char *path, int fd, int flags)
{
    if (!path)
        return 0;
    int f = open(path, flags, 0666);
    if (f < 0 || dup2(f, fd) < 0)
        return -1;
    close(f);
    return 0;
}

int t_spawn(const char *const *argv, const char *in_path, const char *out_path, const char *err_path)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (redirect(in_path, 0, O_RDONLY) || redirect(out_path, 1, O_WRONLY | O_CREAT | O_TRUNC) ||
            redirect(err_path, 2, O_WRONLY | O_CREAT | O_TRUNC))
            _exit(126);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
#endif

int t_copy_file(const char *from, const char *to)
{
    FILE *in = t_fopen(from, "rb"), *out = in ? t_fopen(to, "wb") : NULL;
    int rc = in && out ? 0 : -1;
    char buf[1 << 16];
    size_t n;
    while (rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            rc = -1;
    if (in && ferror(in))
        rc = -1;
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        rc = -1;
    return rc;
}
