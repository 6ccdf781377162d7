/* What the command line needs from the system before it starts: on Windows its arguments
 * as UTF-8 (the C runtime's argv is in the ANSI code page, which cannot hold every file
 * name), binary standard streams (no "\r\n" in reports) and a console that shows UTF-8. */
#include <stdlib.h>

#include "cli.h"

#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#include <windows.h>
#include <shellapi.h>

static UINT saved_cp;

static void restore_console(void) { SetConsoleOutputCP(saved_cp); }

void cli_platform_init(int *argc, char ***argv)
{
    _setmode(_fileno(stdin), _O_BINARY);
    _setmode(_fileno(stdout), _O_BINARY);
    _setmode(_fileno(stderr), _O_BINARY);
    saved_cp = GetConsoleOutputCP();
    if (saved_cp && saved_cp != CP_UTF8 && SetConsoleOutputCP(CP_UTF8))
        atexit(restore_console);
    int n;
    LPWSTR *w = CommandLineToArgvW(GetCommandLineW(), &n);
    if (!w)
        return;
    char **a = calloc((size_t)n + 1, sizeof *a);
    for (int i = 0; a && i < n; i++) {
        int len = WideCharToMultiByte(CP_UTF8, 0, w[i], -1, NULL, 0, NULL, NULL);
        a[i] = len > 0 ? malloc((size_t)len) : NULL;
        if (!a[i] || WideCharToMultiByte(CP_UTF8, 0, w[i], -1, a[i], len, NULL, NULL) != len) {
            a = NULL; /* keep the runtime's argv; this is only reached out of memory */
            break;
        }
    }
    LocalFree(w);
    if (a) { /* kept for the life of the program, like the runtime's own argv */
        *argc = n;
        *argv = a;
    }
}
#else
void cli_platform_init(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
}
#endif
